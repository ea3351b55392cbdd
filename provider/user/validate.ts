import { InputChecker, type CheckFailure } from "../check.js";
import { collectionIdRule, userIdRule } from "../identifiers.js";
import type { UserInputs } from "./model.js";

export interface CheckedUser {
  readonly inputs: UserInputs;
  readonly failures: CheckFailure[];
}

/** Validates and normalizes a User's inputs. Pure; unknown values pass. */
export function checkUser(news: Record<string, unknown>): CheckedUser {
  const check = new InputChecker(news);
  check.onlyKeys(["collectionId", "userId", "adopt", "deleteOnDestroy"]);
  const collectionId = check.identifier(
    "collectionId",
    collectionIdRule,
    "use the ID of the Rekognition collection the user belongs to",
  );
  const userId = check.identifier(
    "userId",
    userIdRule,
    "choose an ID for the person, such as 'alice' or 'employee:1042'",
  );
  const adopt = check.boolean("adopt", false);
  const deleteOnDestroy =
    news["deleteOnDestroy"] == null ? undefined : check.boolean("deleteOnDestroy", false);
  const inputs: UserInputs = {
    collectionId: collectionId ?? "",
    userId: userId ?? "",
    adopt,
    ...(deleteOnDestroy !== undefined && { deleteOnDestroy }),
    ...(typeof news["scope"] === "string" && { scope: news["scope"] }),
  };
  return { inputs, failures: check.failures };
}
