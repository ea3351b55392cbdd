import { lifetimeToken } from "../idempotency.js";
import { isUnknown } from "../unknown.js";
import { maxFacesPerCall, type AssociationInputs, type AssociationState, type FaceSet } from "./model.js";

export interface AssociationDiff {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

const identity = ["collectionId", "userId"] as const;
const settings = ["userMatchThreshold", "exclusive", "waitForActive", "activeTimeoutSeconds"] as const;

/**
 * What `pulumi up` must do to go from the recorded state to the declaration.
 * A new collection or user is another association: replaced, and deleted
 * first, because a face can belong to one user only.
 */
export function diffAssociation(olds: AssociationState, news: AssociationInputs): AssociationDiff {
  const replaces = identity.filter((key) => isUnknown(news[key]) || olds[key] !== news[key]);
  if (replaces.length > 0) return { changes: true, replaces: [...replaces], deleteBeforeReplace: true };
  const changes =
    !sameFaces(olds.faces, news.faces) ||
    settings.some((key) => isUnknown(news[key]) || olds[key] !== news[key]);
  return { changes, replaces: [], deleteBeforeReplace: false };
}

export function sameFaces(a: FaceSet, b: FaceSet): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  const aKeys = Object.keys(a);
  return aKeys.length === Object.keys(b).length && aKeys.every((id) => b[id] === true);
}

export interface FaceChange {
  readonly associate: string[];
  readonly disassociate: string[];
}

/**
 * The faces to associate and to disassociate to go from `current` to
 * `desired`. In exclusive mode `current` is the user's whole set as the
 * service lists it, so every face that is not declared goes, wherever it came
 * from, and no call is made for a face that is already where it should be.
 */
export function planFaceChange(current: FaceSet, desired: FaceSet): FaceChange {
  const associate = Object.keys(desired).filter((id) => !current[id]);
  const disassociate = Object.keys(current).filter((id) => !desired[id]);
  return { associate: associate.sort(), disassociate: disassociate.sort() };
}

export function batches<T>(items: readonly T[], size = maxFacesPerCall): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The ClientRequestToken of one association call: the same when, and only
 * when, the same change is retried (same step, user, batch, revision and
 * association lifetime). A retried call is answered from the service's record,
 * never applied twice; a later equal change (next revision), or an association
 * recreated under the same user (new lifetime), is a new request.
 */
export function requestToken(
  step: "associate" | "associate-after-handoff" | "disassociate",
  target: { collectionId: string; userId: string; lifetime: string; revision: number },
  faceIds: readonly string[],
): string {
  return lifetimeToken(
    step,
    target.lifetime,
    target.collectionId,
    target.userId,
    String(target.revision),
    ...faceIds,
  );
}
