/** Where a photo is: a local file (sent as bytes) or an S3 object. */
export type ImageSource = { readonly path: string } | { readonly s3: S3Location };

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
  readonly version?: string;
}

/** IndexFaces' QualityFilter: how strict to be about face quality. */
export const qualityFilters = ["NONE", "AUTO", "LOW", "MEDIUM", "HIGH"] as const;
export type QualityFilter = (typeof qualityFilters)[number];

/** The inputs of an IndexedFace after `check` has normalized them. */
export interface IndexedFaceInputs {
  readonly collectionId: string;
  readonly image: ImageSource;
  /** SHA-256 of a local file's bytes, recorded by `check`: content, not path, is identity. */
  readonly imageSha256?: string;
  readonly externalImageId?: string;
  readonly qualityFilter?: QualityFilter;
  /** Set when the program marked `image` secret: no message prints its path or S3 location. */
  readonly secretImage?: true;
}

export interface BoundingBox {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
}

/** What the stack's state records for an IndexedFace. */
export interface IndexedFaceState extends IndexedFaceInputs {
  readonly faceId: string;
  readonly boundingBox: BoundingBox;
  readonly confidence: number;
  readonly imageId: string;
}

/** Most image bytes IndexFaces takes inline; S3 objects may be larger. */
export const maxInlineImageBytes = 5 * 1024 * 1024;

/** IndexFaces asks for up to this many faces, so that a second one is seen. */
export const facesRequested = 2;

export function isS3Image(image: ImageSource): image is { readonly s3: S3Location } {
  return "s3" in image;
}

/** The photo as a reader names it: its path, or its s3:// URL. */
export function imageLabel(image: ImageSource): string {
  if (!isS3Image(image)) return image.path;
  const { bucket, key, version } = image.s3;
  return `s3://${bucket}/${key}${version ? `?versionId=${version}` : ""}`;
}
