/**
 * What the provider process is doing: how many resource operations are in
 * flight, and when the engine last checked a declaration or an operation
 * started or ended (its outputs may let the program declare more). Every change is an
 * event, and the process's waits (./quiet.ts) look again on events only.
 */
interface Activity {
  inFlight: number;
  checksInFlight: number;
  /** Operations that are done but for their report (see othersFinished). */
  finishing: number;
  lastActivity: number;
  lastCheck: number;
  readonly listeners: Set<() => void>;
}

const fresh = (): Activity => ({
  inFlight: 0,
  checksInFlight: 0,
  finishing: 0,
  lastActivity: 0,
  lastCheck: 0,
  listeners: new Set(),
});

// Process-wide by design: one provider process serves one `pulumi` command,
// and its resources coordinate through what the others are doing.
let activity = fresh();

/** Tells every wait of the process that something happened. */
export function notify(): void {
  for (const listener of [...activity.listeners]) listener();
}

/** Calls `listener` on every event of the process; returns how to stop. */
export function onActivity(listener: () => void): () => void {
  const listeners = activity.listeners;
  listeners.add(listener);
  return () => listeners.delete(listener);
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
      activity.inFlight++;
      activity.lastActivity = Date.now();
      notify();
      try {
        return await method(...args);
      } finally {
        activity.inFlight--;
        activity.lastActivity = Date.now();
        notify();
      }
    }) as M;
  // A diff follows its check and reads the recorded state: it counts as checking.
  const checking = <M extends Call>(method: M): M =>
    (async (...args: Parameters<M>) => {
      activity.lastActivity = Date.now();
      activity.checksInFlight++;
      notify();
      try {
        return await method(...args);
      } finally {
        activity.checksInFlight--;
        activity.lastCheck = activity.lastActivity = Date.now();
        notify();
      }
    }) as M;
  return {
    ...implementation,
    check: checking(implementation.check),
    diff: checking(implementation.diff),
    create: during(implementation.create),
    read: during(implementation.read),
    update: during(implementation.update),
    delete: during(implementation.delete),
  };
}

/** Resource operations of this process in flight (creates, reads, updates, deletes). */
export function operationsInFlight(): number {
  return activity.inFlight;
}

/** Operations in flight besides the caller's own. */
export function othersInFlight(): number {
  return Math.max(0, activity.inFlight - 1);
}

export function checksInFlight(): number {
  return activity.checksInFlight;
}

/** When a check or an operation last started or ended. */
export function lastActivityAt(): number {
  return activity.lastActivity;
}

/** When the last check of a declaration ended. */
export function lastCheckAt(): number {
  return activity.lastCheck;
}

/**
 * Counts the caller among the operations that are done but for their
 * report while `wait` runs, so that two of them do not wait for each other.
 */
export async function asFinishing<T>(wait: () => Promise<T>): Promise<T> {
  activity.finishing++;
  notify();
  try {
    return await wait();
  } finally {
    activity.finishing--;
    notify();
  }
}

/** Operations in flight that are still working (not waiting to report), besides the caller's own. */
export function othersWorking(): number {
  return activity.inFlight - Math.max(1, activity.finishing);
}

/** For tests: a process with nothing in flight and no listener. */
export function resetActivity(): void {
  activity = fresh();
}
