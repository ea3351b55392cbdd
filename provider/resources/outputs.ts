// The outputs each resource class registers before they are known, shared by
// the dynamic resources (./*.ts) and the plugin's (../sdk/index.ts), so that
// both declare the same ones.
export const collectionOutputs = {
  arn: undefined,
  faceModelVersion: undefined,
  faceCount: undefined,
  userCount: undefined,
  origin: undefined,
} as const;

export const userOutputs = { userStatus: undefined, origin: undefined } as const;

/** Optional inputs first, so that an absent one is still registered. */
export const indexedFaceOptionalInputs = { externalImageId: undefined, qualityFilter: undefined } as const;

export const indexedFaceOutputs = {
  faceId: undefined,
  boundingBox: undefined,
  confidence: undefined,
  imageId: undefined,
  imageSha256: undefined,
} as const;

export const associationOutputs = { userStatus: undefined, failedFaces: undefined } as const;

export const shardOutputs = { roster: undefined, failures: undefined, failureCount: undefined } as const;
