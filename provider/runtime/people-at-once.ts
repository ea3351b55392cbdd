/**
 * People whose calls run at once, across every shard of the process. Each
 * person makes one call at a time, so this bounds the calls in flight below
 * the SDK's 50 sockets: a call that waits for a socket past the connection
 * timeout fails as if the service were unreachable. The rate limits, not
 * this, set the pace.
 */
const peopleAtOnce = 40;

/** A list of people who take turns in the list's order. */
interface Queue {
  /** Starts the list's next person, if it has one; false once it has none. */
  startNext(): boolean;
}

interface Turns {
  running: number;
  /** Lists with people waiting, first come first served: a list finishes before a later one takes turns. */
  readonly queues: Queue[];
}

// Process-wide by design: the bound is on the process's sockets.
let turns: Turns = { running: 0, queues: [] };

/**
 * Gives the caller's turn back before its task ends: what is left of the
 * task makes no call (a wait for ACTIVE, which the collection's poller
 * serves). Later calls do nothing.
 */
export type GiveBack = () => void;

/** Hands the free turns to the first lists with people waiting. */
function handOutTurns(state: Turns): void {
  while (state.running < peopleAtOnce && state.queues.length > 0)
    if (!state.queues[0]!.startNext()) state.queues.shift();
}

/**
 * Runs `task` for every item, each in its turn among the process's people.
 * The lists of a process take turns in the order they came, as if every
 * person had queued: a shard that came first finishes first, and what the
 * process holds for a shard goes once it is done. Only people at work hold
 * anything; the rest are an index into `items`. After a task throws no item
 * of this list starts, and the first error is thrown once every started
 * item is done.
 */
export async function eachInTurn<T>(
  items: readonly T[],
  task: (item: T, giveBack: GiveBack) => Promise<void>,
): Promise<void> {
  if (items.length === 0) return;
  const state = turns;
  let next = 0;
  let working = 0;
  let failed: { readonly error: unknown } | undefined;
  await new Promise<void>((allDone) => {
    const doneIfLast = (): void => {
      if (working === 0 && (next >= items.length || failed)) allDone();
    };
    state.queues.push({
      startNext() {
        if (next >= items.length || failed) return false;
        const item = items[next++]!;
        state.running++;
        working++;
        let held = true;
        const giveBack = (): void => {
          if (!held) return;
          held = false;
          state.running--;
          handOutTurns(state);
        };
        task(item, giveBack)
          .catch((error: unknown) => {
            failed ??= { error };
          })
          .finally(() => {
            giveBack();
            working--;
            doneIfLast();
          });
        return true;
      },
    });
    handOutTurns(state);
  });
  if (failed) throw failed.error;
}

/** For tests: nobody running. */
export function resetPeopleAtOnce(): void {
  turns = { running: 0, queues: [] };
}
