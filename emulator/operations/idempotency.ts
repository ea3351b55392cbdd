import { createHash } from "node:crypto";
import { ServiceError } from "../protocol/errors.js";
import type { Mutation } from "../store/types.js";
import type { OperationContext } from "./context.js";
import type { Input } from "./validate.js";

/** Text emitted as is while walking a value. */
class Raw {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/**
 * A JSON text of the value with object keys sorted and null members left out, so
 * equal parameters give equal text whatever their order. The walk keeps its own
 * stack, so no nesting depth can overflow the call stack.
 */
export function canonical(root: unknown): string {
  const out: string[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value instanceof Raw) {
      out.push(value.text);
    } else if (Array.isArray(value)) {
      // Pushed in reverse: the stack pops them in order.
      pending.push(new Raw("]"));
      for (let i = value.length - 1; i >= 0; i--) {
        pending.push(value[i]);
        if (i > 0) pending.push(new Raw(","));
      }
      pending.push(new Raw("["));
    } else if (value && typeof value === "object") {
      const entries = Object.entries(value as Input)
        .filter(([k, v]) => k !== "ClientRequestToken" && v !== undefined && v !== null)
        .sort(([p], [q]) => (p < q ? -1 : 1));
      pending.push(new Raw("}"));
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i]!;
        pending.push(v, new Raw(`${i > 0 ? "," : ""}${JSON.stringify(k)}:`));
      }
      pending.push(new Raw("{"));
    } else {
      out.push(JSON.stringify(value));
    }
  }
  return out.join("");
}

/** What identifies a call's parameters: every member but the token, hashed to a fixed size. */
export function fingerprintOf(input: Input): string {
  return createHash("sha256").update(canonical(input)).digest("hex");
}

/**
 * Runs a mutating call under a ClientRequestToken: the same token with the same
 * parameters replays the first response without changing anything again; the same
 * token with other parameters is refused. The response is journalled with the
 * change, so replays survive a restart; the store forgets tokens after their TTL.
 */
export function idempotent<T>(
  ctx: OperationContext,
  operation: string,
  input: Input,
  token: string | undefined,
  run: () => { response: T; mutations: Mutation[] },
): T {
  const key = token === undefined ? undefined : `${operation}:${token}`;
  const fingerprint = fingerprintOf(input);
  if (key) {
    const previous = ctx.store.recallToken(key);
    if (previous) {
      // Stores written before fingerprints were hashed hold the canonical text itself.
      if (previous.fingerprint !== fingerprint && previous.fingerprint !== canonical(input)) {
        throw new ServiceError(
          "IdempotentParameterMismatchException",
          `ClientRequestToken '${token}' was already used for a ${operation} call with other parameters: ` +
            "send those parameters again, or use a new token for a new request",
        );
      }
      return previous.response as T;
    }
  }
  const { response, mutations } = run();
  if (mutations.length > 0 || key) {
    ctx.store.commit({
      mutations,
      ...(key ? { idempotency: { key, fingerprint, response, at: ctx.now() } } : {}),
    });
  }
  return response;
}
