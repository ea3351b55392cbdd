import type { Origin } from "../adoption/ownership.js";

export type Tags = Readonly<Record<string, string>>;

/** The inputs of a Collection after `check` has normalized them. */
export interface CollectionInputs {
  readonly collectionId: string;
  readonly tags: Tags;
  /** Take over a collection that already exists instead of failing. */
  readonly adopt: boolean;
  /** Unset: delete on destroy only if the stack created the collection. */
  readonly deleteOnDestroy?: boolean;
  /** `<project>/<stack>` (../scope.ts); empty in states written before it existed. */
  readonly scope?: string;
}

/** What the stack's state records for a Collection. */
export interface CollectionState extends CollectionInputs {
  readonly arn: string;
  readonly faceModelVersion: string;
  /** As of the last create or refresh. */
  readonly faceCount: number;
  readonly userCount: number;
  readonly origin: Origin;
}

/** Rekognition's limits on collection tags. */
export const tagLimits = { count: 200, keyLength: 128, valueLength: 256 } as const;

/** The characters Rekognition allows in tag names and values: letters, digits, spaces and `_ . : / = + - @`. */
export const tagCharacters = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_CHARACTERS_TEXT = "letters, digits, spaces and _ . : / = + - @";
