import type { ProviderImplementation } from "./shim.js";

/**
 * What the provider process is doing: how many resource operations are in
 * flight, and when the engine last checked a declaration or an operation
 * ended (its outputs may let the program declare more). An association that
 * waits for another one to give a face up stops waiting once nothing else is
 * running and all has been still for a while: then the other declaration is
 * not coming in this deployment.
 */
let inFlight = 0;
let lastActivity = 0;
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
        lastActivity = Date.now();
        changed();
      }
    };
  return {
    configure: implementation.configure,
    check: async (olds, news) => {
      lastActivity = Date.now();
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
  /** Milliseconds since the engine last checked a declaration or an operation ended. */
  readonly sinceLastActivity: number;
}

export function quiet(): Quiet {
  return { othersInFlight: Math.max(0, inFlight - 1), sinceLastActivity: Date.now() - lastActivity };
}

/** Calls `listener` whenever an operation starts or ends or a check arrives. */
export function onActivity(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
