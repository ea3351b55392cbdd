import { ServiceError } from "../protocol/errors.js";
import type { Mutation } from "../store/types.js";
import type { OperationContext } from "./context.js";
import type { Input } from "./validate.js";

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Input)
      .filter(([k, v]) => k !== "ClientRequestToken" && v !== undefined && v !== null)
      .sort(([p], [q]) => (p < q ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Runs a mutating call under a ClientRequestToken: the same token with the same
 * parameters replays the first response without changing anything again; the same
 * token with other parameters is refused. The response is journalled with the
 * change, so replays survive a restart.
 */
export function idempotent<T>(
  ctx: OperationContext,
  operation: string,
  input: Input,
  token: string | undefined,
  run: () => { response: T; mutations: Mutation[] },
): T {
  const key = token === undefined ? undefined : `${operation}:${token}`;
  const fingerprint = canonical(input);
  if (key) {
    const previous = ctx.store.recallToken(key);
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        throw new ServiceError(
          "IdempotentParameterMismatchException",
          "ClientRequestToken was reused with different parameters",
        );
      }
      return previous.response as T;
    }
  }
  const { response, mutations } = run();
  if (mutations.length > 0 || key) {
    ctx.store.commit({ mutations, ...(key ? { idempotency: { key, fingerprint, response } } : {}) });
  }
  return response;
}
