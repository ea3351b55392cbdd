/**
 * Faces that an association in this deployment has declared it gives up.
 *
 * One provider process serves every dynamic resource of a deployment, and
 * `check` sees each association's old and new declaration before it is
 * applied. When a face moves from user A to user B in one `pulumi up`, B's
 * AssociateFaces may run before A's DisassociateFaces (the engine orders
 * independent resources freely). Knowing that A's new declaration no longer
 * holds the face, B releases it from A itself and carries on; A later finds
 * the face already gone, which is what it wanted.
 */
const released = new Map<string, string>();
const waiters = new Set<() => void>();

const key = (collectionId: string, faceId: string): string => `${collectionId}\u0000${faceId}`;

export function announceRelease(collectionId: string, fromUserId: string, faceIds: Iterable<string>): void {
  for (const faceId of faceIds) released.set(key(collectionId, faceId), fromUserId);
  for (const wake of waiters) wake();
}

export function isReleased(collectionId: string, fromUserId: string, faceId: string): boolean {
  return released.get(key(collectionId, faceId)) === fromUserId;
}

/**
 * Waits until `fromUserId`'s association has announced that it gives up the
 * face, for at most `timeoutMs`: the other association may not have been
 * checked yet when this one is applied.
 */
export async function awaitRelease(
  collectionId: string,
  fromUserId: string,
  faceId: string,
  timeoutMs: number,
): Promise<boolean> {
  if (isReleased(collectionId, fromUserId, faceId)) return true;
  return new Promise<boolean>((resolve) => {
    const finish = (result: boolean): void => {
      clearTimeout(timer);
      waiters.delete(wake);
      resolve(result);
    };
    const wake = (): void => {
      if (isReleased(collectionId, fromUserId, faceId)) finish(true);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    waiters.add(wake);
  });
}
