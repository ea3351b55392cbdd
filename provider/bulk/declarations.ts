// The declarations this process checked, by digest. A shard's stored inputs
// show a line a person in one text (./encoding.ts), so the engine marshals,
// logs and writes a few bytes a person instead of every photo, digest and
// face; the declaration itself, and the lines the inputs held before, go from
// `check` to the diff, create or update that follows it in the same process,
// which the engine always runs after `check`.
import { createHash } from "node:crypto";
import type { DeclaredText } from "./encoding.js";
import type { ShardInputs } from "./model.js";

type People = ShardInputs["people"];

/** Enough for every shard of the largest roster, checked twice (a preview and an update). */
const kept = 1024;

/** A checked declaration, and each person's line in the inputs it replaces (undefined: not known). */
export interface CheckedDeclaration {
  readonly people: People;
  readonly previous: Readonly<Record<string, string>> | undefined;
}

const checked = new Map<string, CheckedDeclaration>();

/** Keeps a checked declaration for the steps that follow; returns the digest its stored inputs name it by. */
export function keepDeclaration(
  described: DeclaredText,
  people: People,
  previous?: Readonly<Record<string, string>>,
): string {
  const digest = createHash("sha256").update(described).digest("hex");
  checked.delete(digest);
  checked.set(digest, { people, previous });
  // Oldest first: a long-lived process forgets what it checked long ago.
  for (const old of checked.keys()) {
    if (checked.size <= kept) break;
    checked.delete(old);
  }
  return digest;
}

/** Whether this process checked the declaration of that digest. */
export function isChecked(digest: string): boolean {
  return checked.has(digest);
}

export class DeclarationNotCheckedError extends Error {}

/** The declaration `check` kept under this digest. */
export function checkedDeclaration(digest: string, shard: string): CheckedDeclaration {
  const declaration = checked.get(digest);
  if (!declaration)
    throw new DeclarationNotCheckedError(
      `roster shard ${shard}: its declaration was not checked by this provider process ` +
        "(the engine runs check before every diff and update): run `pulumi up` again",
    );
  return declaration;
}
