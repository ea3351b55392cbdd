import { InputChecker, type Checked } from "../check.js";
import { describe, faceIdPattern } from "../identifiers.js";
import { isSensitivity, notSensitive } from "../sealing.js";
import { isUnknown, unknownValue } from "../unknown.js";
import {
  defaults,
  faceSet,
  maxFacesPerUser,
  unknownFaceKey,
  type AssociationInputs,
  type FaceSet,
} from "./model.js";

/** Normalized inputs; members may be the unknown sentinel during a preview. */
export type CheckedAssociation = Checked<AssociationInputs>;

/**
 * Validates and normalizes what a program declared. Pure: runs at preview,
 * before anything is called. `faceIds` (a list) becomes `faces` (a set keyed
 * by face ID), so equal sets compare equal whatever their order.
 */
export function checkAssociation(news: Record<string, unknown>): CheckedAssociation {
  const check = new InputChecker(news);
  check.onlyKeys(["collectionId", "userId", "faceIds", ...Object.keys(defaults)]);
  const collectionId = check.collectionId("use the ID of the Rekognition collection that holds the faces");
  const userId = check.userId("use the ID given to CreateUser (or to a User resource)");
  const faces = checkFaceIds(check, news["faceIds"]);
  const inputs: AssociationInputs = {
    collectionId: collectionId ?? "",
    userId: userId ?? "",
    faces,
    userMatchThreshold: check.number(
      "userMatchThreshold",
      defaults.userMatchThreshold,
      0,
      100,
      "it is the confidence (0–100) a new face must match the user's existing faces with",
    ),
    exclusive: check.boolean("exclusive", defaults.exclusive),
    waitForActive: check.boolean("waitForActive", defaults.waitForActive),
    activeTimeoutSeconds: check.number(
      "activeTimeoutSeconds",
      defaults.activeTimeoutSeconds,
      1,
      3600,
      "it bounds the wait for the user to become ACTIVE",
    ),
    sensitive: isSensitivity(news["sensitive"]) ? news["sensitive"] : notSensitive,
  };
  return { inputs, failures: check.failures };
}

function checkFaceIds(check: InputChecker, value: unknown): FaceSet {
  const unknownSet = unknownValue as unknown as FaceSet;
  if (isUnknown(value)) return unknownSet;
  if (!Array.isArray(value)) {
    check.fail("faceIds", `faceIds must be a list of face IDs, got ${describe(value)}`);
    return {};
  }
  if (value.length === 0) {
    check.fail(
      "faceIds",
      "faceIds is empty: declare at least one face, or delete the association to release all of the user's faces",
    );
    return {};
  }
  const seen = new Set<string>();
  const notKnownYet: number[] = [];
  for (const [index, raw] of (value as unknown[]).entries()) {
    if (isUnknown(raw)) {
      notKnownYet.push(index);
      continue;
    }
    const id = typeof raw === "string" ? raw.toLowerCase() : raw;
    if (typeof id !== "string" || !faceIdPattern.test(id)) {
      check.fail(
        "faceIds",
        `faceIds[${index}] is ${describe(raw)}, not a Rekognition face ID: use the FaceId that IndexFaces returned ` +
          "(a UUID such as 35ebbb41-7f67-4b4f-bfee-1a2b3c4d5e6f), or an IndexedFace's faceId output",
      );
      continue;
    }
    if (seen.has(id)) {
      check.fail("faceIds", `faceIds lists ${id} more than once: remove the duplicate`);
      continue;
    }
    seen.add(id);
  }
  if (value.length > maxFacesPerUser) {
    check.fail(
      "faceIds",
      `faceIds has ${value.length} faces, but a Rekognition user holds at most ${maxFacesPerUser}: ` +
        "keep the best photos of this person, or split them across users",
    );
  }
  // A member not known yet stays one member: the preview shows the known faces kept and it added.
  const unknownMembers = Object.fromEntries(
    notKnownYet.map((index) => [unknownFaceKey(index), unknownValue]),
  );
  return { ...faceSet(seen), ...unknownMembers } as FaceSet;
}
