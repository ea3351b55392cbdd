/**
 * People whose calls run at once, across every shard of the process. Each
 * person makes one call at a time, so this bounds the calls in flight below
 * the SDK's 50 sockets: a call that waits for a socket past the connection
 * timeout fails as if the service were unreachable. The rate limits, not
 * this, set the pace.
 */
const peopleAtOnce = 40;

interface Turns {
  running: number;
  readonly waiting: (() => void)[];
}

// Process-wide by design: the bound is on the process's sockets.
let turns: Turns = { running: 0, waiting: [] };

/**
 * Gives the caller's turn back before its task ends: what is left of the
 * task makes no call (a wait for ACTIVE, which the collection's poller
 * serves). Later calls do nothing.
 */
export type GiveBack = () => void;

/** Runs `task` once fewer than `peopleAtOnce` people of this process are running. */
export async function inTurn<T>(task: (giveBack: GiveBack) => Promise<T>): Promise<T> {
  const state = turns;
  if (state.running >= peopleAtOnce) await new Promise<void>((resolve) => state.waiting.push(resolve));
  state.running++;
  let held = true;
  const giveBack = (): void => {
    if (!held) return;
    held = false;
    state.running--;
    state.waiting.shift()?.();
  };
  try {
    return await task(giveBack);
  } finally {
    giveBack();
  }
}

/** For tests: nobody running. */
export function resetPeopleAtOnce(): void {
  turns = { running: 0, waiting: [] };
}
