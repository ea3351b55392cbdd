import { InputChecker, type Checked } from "../check.js";
import { describe, faceIdPattern } from "../identifiers.js";
import { byCodeUnit } from "../order.js";
import { isUnknown } from "../unknown.js";
import type { RetiredFacesInputs } from "./model.js";

/** Validates a RetiredFaces' inputs: the faces become sorted, each once. */
export function checkRetiredFaces(news: Record<string, unknown>): Checked<RetiredFacesInputs> {
  const check = new InputChecker(news);
  check.onlyKeys(["collectionId", "faces"]);
  const collectionId = check.collectionId("use the roster's collection ID");
  const value = news["faces"] ?? [];
  let faces: readonly string[] = value as string[];
  if (!isUnknown(value)) {
    if (!Array.isArray(value) || value.some((id) => !isUnknown(id) && typeof id !== "string")) {
      check.fail(
        "faces",
        `faces must be a list of face IDs, got ${describe(value)}: pass the shards' handedOver outputs`,
      );
      faces = [];
    } else if (!value.some(isUnknown)) {
      const bad = (value as string[]).find((id) => !faceIdPattern.test(id));
      if (bad !== undefined)
        check.fail(
          "faces",
          `faces lists ${describe(bad)}, not a Rekognition face ID: pass the shards' handedOver outputs`,
        );
      faces = [...new Set(value as string[])].sort(byCodeUnit);
    }
  }
  return { inputs: { collectionId: collectionId ?? "", faces }, failures: check.failures };
}
