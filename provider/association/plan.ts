import { isUnknown } from "../unknown.js";
import {
  faceSet,
  hasUnknownFaces,
  type AssociationInputs,
  type AssociationState,
  type FaceSet,
} from "./model.js";

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
 * first, because a face can belong to one user only. Faces left unsettled by
 * a failed call, or a wait for ACTIVE left unfinished, are work too.
 */
export function diffAssociation(olds: AssociationState, news: AssociationInputs): AssociationDiff {
  const replaces = identity.filter((key) => isUnknown(news[key]) || olds[key] !== news[key]);
  if (replaces.length > 0) return { changes: true, replaces: [...replaces], deleteBeforeReplace: true };
  const changes =
    !sameFaces(olds.faces, news.faces) ||
    settings.some((key) => isUnknown(news[key]) || olds[key] !== news[key]) ||
    (olds.pendingFaces?.length ?? 0) > 0 ||
    (olds.awaitingActive === true && news.waitForActive !== false) ||
    (!isUnknown(news.sensitive) &&
      ((olds.sensitive?.faceIds ?? false) !== news.sensitive.faceIds ||
        (olds.sensitive?.userId ?? false) !== news.sensitive.userId));
  return { changes, replaces: [], deleteBeforeReplace: false };
}

export function sameFaces(a: FaceSet, b: FaceSet): boolean {
  if (hasUnknownFaces(a) || hasUnknownFaces(b)) return false;
  const aKeys = Object.keys(a);
  return aKeys.length === Object.keys(b).length && aKeys.every((id) => b[id] === true);
}

export interface FaceChange {
  readonly associate: string[];
  readonly disassociate: string[];
}

/**
 * The faces to associate and to disassociate to go from `current` (the faces
 * known to be associated and managed here) to `desired`. `unsettled` faces
 * (a call without an answer) are settled either way: associated again if
 * declared, disassociated if not; both are harmless if already done. In
 * exclusive mode `current` is the user's whole set as the service lists it,
 * so every face that is not declared goes, wherever it came from.
 */
export function planFaceChange(
  current: FaceSet,
  desired: FaceSet,
  unsettled: readonly string[] = [],
): FaceChange {
  const associate = Object.keys(desired).filter((id) => !current[id]);
  const disassociate = [...new Set([...Object.keys(current), ...unsettled])].filter((id) => !desired[id]);
  return { associate: associate.sort(), disassociate: disassociate.sort() };
}

/** The faces a recorded association manages: its truth less what it only observed. */
export function managedFaces(state: Pick<AssociationState, "faces" | "observedFaces">): FaceSet {
  const observed = new Set(state.observedFaces ?? []);
  return faceSet(Object.keys(state.faces).filter((id) => !observed.has(id)));
}

/**
 * The state after a refresh that listed `live` (the user's faces now). A
 * managed face gone from the user leaves the state (the next `up` associates
 * it again); a face left unsettled is managed if it is associated; in
 * exclusive mode every other face of the user is observed, so the next `up`
 * removes it.
 */
export function refreshedFaces(
  recorded: Pick<AssociationState, "faces" | "observedFaces" | "pendingFaces" | "exclusive">,
  live: readonly string[],
): Pick<AssociationState, "faces" | "faceIds" | "observedFaces" | "pendingFaces"> {
  const isLive = new Set(live);
  const managed = Object.keys(managedFaces(recorded));
  const kept = [...managed, ...(recorded.pendingFaces ?? [])].filter((id) => isLive.has(id));
  const keptSet = new Set(kept);
  const observed = recorded.exclusive ? live.filter((id) => !keptSet.has(id)) : [];
  return {
    faces: faceSet([...kept, ...observed]),
    faceIds: [...keptSet].sort(),
    observedFaces: observed.sort(),
    pendingFaces: [],
  };
}
