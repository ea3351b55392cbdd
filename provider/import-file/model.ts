/** What a collection holds, as an import needs it. */
export interface CollectionContents {
  readonly collectionId: string;
  /** Every user, with the face IDs associated with it ([] for none). */
  readonly users: readonly ListedUser[];
}

export interface ListedUser {
  readonly userId: string;
  readonly faceIds: readonly string[];
}

/** One entry of `pulumi import --file`. */
export interface ImportSpec {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  /** A key of the file's nameTable. */
  readonly provider?: string;
}

/**
 * The file `pulumi import --file` reads: resources, and a nameTable that maps
 * the names resources refer to (here, their provider) to URNs.
 */
export interface ImportFile {
  readonly nameTable?: Readonly<Record<string, string>>;
  readonly resources: readonly ImportSpec[];
}

/** The provider the imported resources are to use: its URN, and the name the file refers to it by. */
export interface ProviderReference {
  readonly name: string;
  readonly urn: string;
}

export interface ImportOptions {
  /** False: the collection is already in the stack, or is to stay out of it. */
  readonly includeCollection: boolean;
  readonly provider?: ProviderReference;
}

/** The plugin's type tokens. */
export const TYPES = {
  collection: "rekognition-faces:index:Collection",
  user: "rekognition-faces:index:User",
  association: "rekognition-faces:index:UserFaceAssociation",
} as const;
