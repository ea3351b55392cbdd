import type { ProviderImplementation } from "./shim.js";

/**
 * What the provider process is doing: how many resource operations are in
 * flight, and when the engine last checked a declaration. An association
 * that waits for another one to give a face up stops waiting once nothing
 * else is running and no declaration has arrived for a while: then the other
 * declaration is not coming in this deployment.
 */
let inFlight = 0;
let lastCheck = 0;
const listeners = new Set<() => void>();

function changed(): void {
  for (const listener of listeners) listener();
}

/** Wraps a resource implementation so that its calls are counted. */
export function tracked(implementation: ProviderImplementation): ProviderImplementation {
  const during =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      inFlight++;
      changed();
      try {
        return await method(...args);
      } finally {
        inFlight--;
        changed();
      }
    };
  return {
    configure: implementation.configure,
    check: async (olds, news) => {
      lastCheck = Date.now();
      try {
        return await implementation.check(olds, news);
      } finally {
        changed();
      }
    },
    diff: implementation.diff,
    create: during(implementation.create),
    read: during(implementation.read),
    update: during(implementation.update),
    delete: during(implementation.delete),
  };
}

export interface Quiet {
  /** Operations in flight besides the caller's own. */
  readonly othersInFlight: number;
  /** Milliseconds since the engine last checked a declaration. */
  readonly sinceLastCheck: number;
}

export function quiet(): Quiet {
  return { othersInFlight: Math.max(0, inFlight - 1), sinceLastCheck: Date.now() - lastCheck };
}

/** Calls `listener` whenever an operation starts or ends or a check arrives. */
export function onActivity(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
