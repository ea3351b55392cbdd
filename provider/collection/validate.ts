import { InputChecker, type Checked } from "../check.js";
import { describe } from "../identifiers.js";
import { isUnknown } from "../unknown.js";
import { TAG_CHARACTERS_TEXT, tagCharacters, tagLimits, type CollectionInputs, type Tags } from "./model.js";

export type CheckedCollection = Checked<CollectionInputs>;

/** Validates and normalizes a Collection's inputs. Pure; unknown values pass. */
export function checkCollection(news: Record<string, unknown>): CheckedCollection {
  const check = new InputChecker(news);
  check.onlyKeys(["collectionId", "tags", "adopt", "deleteOnDestroy"]);
  const collectionId = check.collectionId(
    "choose an ID such as 'employees' (it is also the collection's name in the ARN)",
  );
  const tags = checkTags(check, news["tags"]);
  const adopt = check.boolean("adopt", false);
  const deleteOnDestroy = check.optionalBoolean("deleteOnDestroy");
  const inputs: CollectionInputs = {
    collectionId: collectionId ?? "",
    tags,
    adopt,
    ...(deleteOnDestroy !== undefined && { deleteOnDestroy }),
    ...(typeof news["scope"] === "string" && { scope: news["scope"] }),
  };
  return { inputs, failures: check.failures };
}

function checkTags(check: InputChecker, value: unknown): Tags {
  if (value == null) return {};
  if (isUnknown(value)) return value as Tags;
  if (typeof value !== "object" || Array.isArray(value)) {
    check.fail("tags", `tags must be a map of tag names to values, got ${describe(value)}`);
    return {};
  }
  const entries = Object.entries(value);
  if (entries.length > tagLimits.count) {
    check.fail(
      "tags",
      `tags has ${entries.length} entries, but a collection holds at most ${tagLimits.count}`,
    );
  }
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of entries) {
    if (key.length < 1 || key.length > tagLimits.keyLength) {
      check.fail("tags", `tag name '${key}' must be 1–${tagLimits.keyLength} characters long`);
    } else if (key.startsWith("aws:")) {
      check.fail(
        "tags",
        `tag name '${key}' starts with 'aws:', which AWS reserves for its own tags: rename it`,
      );
    } else if (!tagCharacters.test(key)) {
      check.fail("tags", `tag name '${key}' may contain only ${TAG_CHARACTERS_TEXT}: rename it`);
    } else if (isUnknown(tagValue)) {
      tags[key] = tagValue as string;
    } else if (typeof tagValue !== "string" || tagValue.length > tagLimits.valueLength) {
      check.fail(
        "tags",
        `tags.${key} must be a string of at most ${tagLimits.valueLength} characters, got ${describe(tagValue)}`,
      );
    } else if (!tagCharacters.test(tagValue)) {
      check.fail(
        "tags",
        `tags.${key} '${tagValue}' may contain only ${TAG_CHARACTERS_TEXT}: change the value`,
      );
    } else {
      tags[key] = tagValue;
    }
  }
  return tags;
}
