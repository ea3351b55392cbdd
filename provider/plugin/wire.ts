// Property values as the provider protocol carries them to a plugin that
// accepts secrets, and back. The engines take plain values and seal what
// they derive themselves (../sealing.ts); this layer unwraps the program's
// secrets on the way in and seals outputs of the same name on the way out.
import { isSealed, sealed } from "../sealing.js";
import type { Props } from "../engine.js";

/** A value with every secret wrapper removed, at any depth. */
export function reveal(value: unknown): unknown {
  if (isSealed(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reveal(inner)]));
  return value;
}

function holdsSecret(value: unknown): boolean {
  if (isSealed(value)) return true;
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (typeof value === "object" && value !== null) return Object.values(value).some(holdsSecret);
  return false;
}

/** Properties as they came, split into plain values and the names that held a secret. */
export interface Revealed {
  readonly plain: Props;
  readonly secretKeys: ReadonlySet<string>;
}

export function revealProps(props: Props): Revealed {
  const secretKeys = new Set(Object.keys(props).filter((key) => holdsSecret(props[key])));
  return { plain: reveal(props) as Props, secretKeys };
}

/** Seals each named property that is present and not sealed already. */
export function sealKeys(props: Props, keys: ReadonlySet<string>): Props {
  const out: Props = { ...props };
  for (const key of keys) if (out[key] !== undefined && !isSealed(out[key])) out[key] = sealed(out[key]);
  return out;
}
