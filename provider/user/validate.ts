import { InputChecker, type Checked } from "../check.js";
import { isSensitivity } from "../sealing.js";
import type { UserInputs } from "./model.js";

export type CheckedUser = Checked<UserInputs>;

/** Validates and normalizes a User's inputs. Pure; unknown values pass. */
export function checkUser(news: Record<string, unknown>): CheckedUser {
  const check = new InputChecker(news);
  check.onlyKeys(["collectionId", "userId", "adopt", "deleteOnDestroy"]);
  const collectionId = check.collectionId("use the ID of the Rekognition collection the user belongs to");
  const userId = check.userId("choose an ID for the person, such as 'alice' or 'employee:1042'");
  const adopt = check.boolean("adopt", false);
  const deleteOnDestroy = check.optionalBoolean("deleteOnDestroy");
  const inputs: UserInputs = {
    collectionId: collectionId ?? "",
    userId: userId ?? "",
    adopt,
    ...(deleteOnDestroy !== undefined && { deleteOnDestroy }),
    ...(typeof news["scope"] === "string" && { scope: news["scope"] }),
    // Recorded only for a secret user ID, so that other users' inputs stay as they were.
    ...(isSensitivity(news["sensitive"]) && news["sensitive"].userId && { sensitive: news["sensitive"] }),
  };
  return { inputs, failures: check.failures };
}
