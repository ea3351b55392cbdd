import { isUnknown } from "../unknown.js";
import type { CollectionInputs, CollectionState, Tags } from "./model.js";

export interface CollectionDiff {
  readonly changes: boolean;
  readonly replaces: string[];
}

/**
 * Another collection ID is another collection: replaced. Tags change in
 * place; `adopt` matters only when the collection is created;
 * `deleteOnDestroy` is recorded without a call.
 */
export function diffCollection(olds: CollectionState, news: CollectionInputs): CollectionDiff {
  if (isUnknown(news.collectionId) || olds.collectionId !== news.collectionId) {
    return { changes: true, replaces: ["collectionId"] };
  }
  const tags = tagChange(olds.tags, news.tags);
  const changes =
    isUnknown(news.tags) ||
    tags.untag.length > 0 ||
    Object.keys(tags.tag).length > 0 ||
    olds.deleteOnDestroy !== news.deleteOnDestroy;
  return { changes, replaces: [] };
}

export interface TagChange {
  /** Tags to add or overwrite (TagResource). */
  readonly tag: Record<string, string>;
  /** Tag names to remove (UntagResource). */
  readonly untag: string[];
}

export function tagChange(current: Tags, desired: Tags): TagChange {
  if (isUnknown(desired)) return { tag: {}, untag: [] };
  const tag: Record<string, string> = {};
  for (const [key, value] of Object.entries(desired)) if (current[key] !== value) tag[key] = value;
  const untag = Object.keys(current)
    .filter((key) => !(key in desired))
    .sort();
  return { tag, untag };
}
