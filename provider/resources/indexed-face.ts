import * as pulumi from "@pulumi/pulumi";
import type { QualityFilter } from "../face/model.js";
import { indexedFaceOptionalInputs, indexedFaceOutputs, type IndexedFaceOutputs } from "./outputs.js";
import { dynamicResource } from "./resource-class.js";

/** A local JPEG or PNG file (up to 5 MB), relative to the stack's folder. */
export interface LocalImage {
  readonly path: pulumi.Input<string>;
}

/** An S3 object (up to 15 MB) in the collection's region. */
export interface S3Image {
  readonly s3: pulumi.Input<{
    readonly bucket: pulumi.Input<string>;
    readonly key: pulumi.Input<string>;
    readonly version?: pulumi.Input<string>;
  }>;
}

export interface IndexedFaceArgs {
  /** The collection to index the face into. */
  readonly collectionId: pulumi.Input<string>;
  /** The photo: it must show exactly one face. */
  readonly image: pulumi.Input<LocalImage | S3Image>;
  /** A label stored with the face and returned by searches (e.g. the user ID). */
  readonly externalImageId?: pulumi.Input<string>;
  /** IndexFaces' QualityFilter. Rekognition's default is AUTO. */
  readonly qualityFilter?: pulumi.Input<QualityFilter>;
}

/**
 * One face indexed from one photo (IndexFaces / DeleteFaces). A photo with no
 * face, or with more than one, is an error. A local photo is identified by
 * its content (SHA-256): new content replaces the face, a renamed file does
 * not. ID: the face ID.
 */
export class IndexedFace extends dynamicResource<IndexedFaceOutputs>("indexed-face", "IndexedFace") {
  constructor(name: string, args: IndexedFaceArgs, opts?: pulumi.CustomResourceOptions) {
    // Only a secret image adds an input: every other face's inputs stay as they were.
    const secretImage = pulumi
      .output(pulumi.isSecret(pulumi.output(args.image)))
      .apply((secret) => secret || undefined);
    super(name, { ...indexedFaceOptionalInputs, ...args, secretImage, ...indexedFaceOutputs }, opts);
  }
}
