import { containsUnknown, isUnknown } from "../unknown.js";
import { isS3Image, type IndexedFaceInputs, type IndexedFaceState } from "./model.js";

export interface IndexedFaceDiff {
  readonly changes: boolean;
  readonly replaces: string[];
}

/**
 * An indexed face cannot change: another photo, collection, label or quality
 * filter is another face, indexed anew. A local photo is identified by its
 * content: moving or renaming the file is no change.
 */
export function diffIndexedFace(olds: IndexedFaceState, news: IndexedFaceInputs): IndexedFaceDiff {
  const replaces: string[] = [];
  const differs = (a: unknown, b: unknown): boolean => containsUnknown(b) || a !== b;
  if (differs(olds.collectionId, news.collectionId)) replaces.push("collectionId");
  if (imageDiffers(olds, news)) replaces.push("image");
  if (differs(olds.externalImageId, news.externalImageId)) replaces.push("externalImageId");
  if (differs(olds.qualityFilter, news.qualityFilter)) replaces.push("qualityFilter");
  return { changes: replaces.length > 0, replaces };
}

function imageDiffers(olds: IndexedFaceState, news: IndexedFaceInputs): boolean {
  if (containsUnknown(news.image) || isUnknown(news.imageSha256)) return true;
  // An imported face (../imports.ts): the service keeps no photo, so the
  // declared one is taken as the one it was indexed from.
  if (olds.image === undefined) return false;
  if (isS3Image(olds.image) !== isS3Image(news.image)) return true;
  if (isS3Image(olds.image) && isS3Image(news.image)) {
    const [a, b] = [olds.image.s3, news.image.s3];
    return a.bucket !== b.bucket || a.key !== b.key || a.version !== b.version;
  }
  return olds.imageSha256 !== news.imageSha256;
}
