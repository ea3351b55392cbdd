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
let checksInFlight = 0;
let finishing = 0;
let lastCheck = 0;
const listeners = new Set<() => void>();

function changed(): void {
  for (const listener of listeners) listener();
}

/** The operations of a resource, whichever host calls them. */
type Call = (...args: never[]) => Promise<unknown>;
interface Operations {
  configure: Call;
  check: Call;
  diff: Call;
  create: Call;
  read: Call;
  update: Call;
  delete: Call;
}

/**
 * Wraps a resource's operations so that its calls are counted. It belongs to
 * the resource, not to a host: a face moving between two users waits on the
 * other operations of the same process, whichever host started them.
 */
export function tracked<T extends Operations>(implementation: T): T {
  const during = <M extends Call>(method: M): M =>
    (async (...args: Parameters<M>) => {
      inFlight++;
      changed();
      try {
        return await method(...args);
      } finally {
        inFlight--;
        lastActivity = Date.now();
        changed();
      }
    }) as M;
  const check = (async (...args: Parameters<T["check"]>) => {
    lastActivity = Date.now();
    checksInFlight++;
    try {
      return await implementation.check(...args);
    } finally {
      checksInFlight--;
      lastCheck = Date.now();
      changed();
    }
  }) as T["check"];
  return {
    ...implementation,
    check,
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

/**
 * Resolves once no declaration is being checked and none has arrived for
 * `quietMs`. The engine registers the resources of one component together,
 * so by then a person that moved to another resource of this deployment has
 * been claimed there: a removal that waits for this releases nothing still
 * declared.
 */
export async function checksSettled(quietMs = 500): Promise<void> {
  for (;;) {
    const since = Date.now() - lastCheck;
    if (checksInFlight === 0 && since >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, checksInFlight > 0 ? 50 : quietMs - since));
  }
}

/**
 * Resolves once no other operation of this process is in flight, no check is
 * running, and all has been still for `quietMs`. The engine starts no new
 * step once one has failed: a resource that is about to fail waits for this,
 * so that the resources started beside it (the other shards of a roster)
 * finish their work first.
 */
export async function othersFinished(quietMs = 500): Promise<void> {
  // Operations waiting here are done but for their report: they do not count,
  // or two failing shards would wait for each other forever.
  finishing++;
  try {
    for (;;) {
      const now = quiet();
      const working = now.othersInFlight - (finishing - 1);
      if (working <= 0 && checksInFlight === 0 && now.sinceLastActivity >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, quietMs - now.sinceLastActivity)));
    }
  } finally {
    finishing--;
  }
}

/** Resource operations of this process in flight (creates, reads, updates, deletes). */
export function operationsInFlight(): number {
  return inFlight;
}
