/**
 * The process's one way to wait for a condition on what it is doing: a
 * decision is taken again on every event of the process (./activity.ts
 * `notify`) and at the one time it names, never by polling.
 */
import {
  asFinishing,
  checksInFlight,
  lastActivityAt,
  lastCheckAt,
  onActivity,
  othersWorking,
} from "./activity.js";

/** Decided, or not yet: then look again on the next event, or at `lookAt` (epoch ms) at the latest. */
export type Decision<T> = { readonly answer: T } | { readonly lookAt?: number };

/** Resolves with the first answer of `decide`, asked now, on every event, and at the time it names. */
export function decideWhen<T>(decide: () => Decision<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const look = (): void => {
      if (done) return;
      clearTimeout(timer);
      timer = undefined;
      let decision: Decision<T>;
      try {
        decision = decide();
      } catch (err) {
        finish();
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if ("answer" in decision) {
        finish();
        resolve(decision.answer);
      } else if (decision.lookAt !== undefined) {
        timer = setTimeout(look, Math.max(0, decision.lookAt - Date.now()));
      }
    };
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      stop();
    };
    const stop = onActivity(look);
    look();
  });
}

/** Decided once `idle` holds and `quietMs` have passed since `since()`; while idle, look again when they would have. */
export function quietFor(idle: boolean, since: number, quietMs: number): Decision<true> {
  if (!idle) return {};
  const at = since + quietMs;
  return at <= Date.now() ? { answer: true } : { lookAt: at };
}

/**
 * Resolves once no declaration is being checked and none has arrived for
 * `quietMs`. The engine registers the resources of one component together,
 * so by then a person that moved to another resource of this deployment has
 * been claimed there: a removal that waits for this releases nothing still
 * declared.
 */
export async function checksSettled(quietMs = 500): Promise<void> {
  await decideWhen(() => quietFor(checksInFlight() === 0, lastCheckAt(), quietMs));
}

/**
 * Resolves once no other operation of this process is working, no check is
 * running, and all has been still for `quietMs`. The engine starts no new
 * step once one has failed: a resource that is about to fail waits for this,
 * so that the resources started beside it (the other shards of a roster)
 * finish their work first. Operations waiting here do not count as working,
 * or two failing shards would wait for each other forever.
 */
export async function othersFinished(quietMs = 500): Promise<void> {
  await asFinishing(() =>
    decideWhen(() => quietFor(othersWorking() <= 0 && checksInFlight() === 0, lastActivityAt(), quietMs)),
  );
}
