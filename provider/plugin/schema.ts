// The Pulumi package schema of the rekognition-faces provider plugin: the
// contract every language's SDK is generated from (scripts/sdkgen) and the
// plugin serves from GetSchema. Pure data.
//
// Inputs and outputs are those of the resource classes (../resources/*.ts) and
// of the state their engines record; test/unit/plugin-schema.test.ts fails when
// a class declares a property this schema lacks. The inputs a host supplies
// itself (`scope`, `sensitive`, `__provider`) are not part of it. No output is
// marked secret: what the engines seal depends on which inputs the program
// made secret (../sealing.ts), and the engine marks those values itself.

import { defaults } from "../association/model.js";
import { maxShards, shardDefaults } from "../bulk/model.js";
import { qualityFilters } from "../face/model.js";

/** A property's type, as the schema spells it. */
export type TypeSpec =
  | { readonly type: "string" | "number" | "integer" | "boolean" }
  | { readonly type: "array"; readonly items: TypeSpec }
  | { readonly type: "object"; readonly additionalProperties: TypeSpec }
  | { readonly $ref: string }
  | { readonly oneOf: readonly TypeSpec[] };

export type PropertySpec = TypeSpec & {
  readonly description?: string;
  readonly secret?: boolean;
};

export type Properties = Readonly<Record<string, PropertySpec>>;

export interface ObjectTypeSpec {
  readonly type: "object";
  readonly description?: string;
  readonly properties: Properties;
  readonly required?: readonly string[];
}

export interface EnumValueSpec {
  readonly name?: string;
  readonly value: string;
  readonly description?: string;
}

export interface EnumTypeSpec {
  readonly type: "string";
  readonly description?: string;
  readonly enum: readonly EnumValueSpec[];
}

export interface ResourceSpec {
  readonly description?: string;
  readonly isComponent?: boolean;
  readonly inputProperties: Properties;
  readonly requiredInputs?: readonly string[];
  readonly properties: Properties;
  readonly required?: readonly string[];
}

export interface PackageSchema {
  readonly name: string;
  readonly displayName: string;
  readonly version: string;
  readonly description: string;
  readonly keywords: readonly string[];
  readonly license: string;
  readonly meta: { readonly moduleFormat: string; readonly supportPack: boolean };
  readonly language: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly config: { readonly variables: Properties };
  readonly provider: ResourceSpec;
  readonly types: Readonly<Record<string, ObjectTypeSpec | EnumTypeSpec>>;
  readonly resources: Readonly<Record<string, ResourceSpec>>;
}

export const packageName = "rekognition-faces";

/** `rekognition-faces:index:<name>`: every resource and type lives in the index module. */
export function token(name: string): string {
  return `${packageName}:index:${name}`;
}

/** The Go SDK's import path (its module is the folder above, sdk/go). */
export const goImportBasePath =
  "github.com/pulumi-rekognition-faces/pulumi-rekognition-faces/sdk/go/rekognitionfaces";

/** A property of one of the schema's primitive types, described if `description` is given. */
const primitive =
  (type: "string" | "number" | "integer" | "boolean") =>
  (description?: string): PropertySpec => ({
    type,
    ...(description && { description }),
  });
const string = primitive("string");
const number = primitive("number");
const integer = primitive("integer");
const boolean = primitive("boolean");
const ref = (name: string, description?: string): PropertySpec => ({
  $ref: `#/types/${token(name)}`,
  ...(description && { description }),
});
const arrayOf = (items: TypeSpec, description?: string): PropertySpec => ({
  type: "array",
  items,
  ...(description && { description }),
});
const mapOf = (values: TypeSpec, description?: string): PropertySpec => ({
  type: "object",
  additionalProperties: values,
  ...(description && { description }),
});
const secret = (spec: PropertySpec): PropertySpec => ({ ...spec, secret: true });
const objectType = (
  description: string,
  properties: Properties,
  required?: readonly string[],
): ObjectTypeSpec => ({
  type: "object",
  description,
  properties,
  ...(required && { required }),
});

const strings: TypeSpec = { type: "string" };

const describe = {
  collectionId:
    "The collection's ID: letters, digits, '_', '.' and '-', at most 255. Another collection ID replaces it.",
  userId: "The user's ID: letters, digits, '_', '.', ':' and '-', at most 128.",
  userMatchThreshold: `The confidence (0–100) a new face must match the user's faces with. Default ${defaults.userMatchThreshold}.`,
  waitForActive: `Wait after a change until the user is ACTIVE (searchable). Default ${defaults.waitForActive}.`,
  activeTimeoutSeconds: "How long to wait for ACTIVE, in seconds.",
  origin: '"created" by this resource, or "adopted".',
  qualityFilter: "IndexFaces' QualityFilter. Rekognition's default is AUTO.",
} as const;

// ---- types ----

const types: PackageSchema["types"] = {
  [token("Origin")]: {
    type: "string",
    description: "Whether a resource made what it manages or took it over.",
    enum: [
      {
        name: "Created",
        value: "created",
        description: "Made by this resource: deleted on destroy by default.",
      },
      {
        name: "Adopted",
        value: "adopted",
        description: "Existed before (adopt: true): kept on destroy by default.",
      },
    ],
  },
  [token("UserStatus")]: {
    type: "string",
    description: "A Rekognition user's status, as ListUsers and AssociateFaces report it.",
    enum: [
      { name: "Creating", value: "CREATING", description: "Being created." },
      { name: "Created", value: "CREATED", description: "Created, no faces associated yet." },
      {
        name: "Updating",
        value: "UPDATING",
        description:
          "An association or disassociation is being applied; the user may already show in searches.",
      },
      { name: "Active", value: "ACTIVE", description: "Every change applied: the user is searchable." },
      {
        name: "Missing",
        value: "MISSING",
        description: "A refresh found the user gone: the next `pulumi up` makes it again.",
      },
      {
        name: "Unknown",
        value: "UNKNOWN",
        description: "The user's status could not be read after its create; the run failed naming the cause.",
      },
    ],
  },
  [token("QualityFilter")]: {
    type: "string",
    description: "IndexFaces' QualityFilter: how strict to be about face quality.",
    enum: qualityFilters.map((value) => ({ value })),
  },
  [token("RosterMode")]: {
    type: "string",
    description: "How a FaceRoster deploys its people.",
    enum: [
      {
        name: "PerResource",
        value: "per-resource",
        description: "A User, an IndexedFace per photo and a UserFaceAssociation per person (the default).",
      },
      {
        name: "Bulk",
        value: "bulk",
        description:
          "The people split into `shards` resources, each reconciling its share in one step; for rosters of hundreds of people and more.",
      },
    ],
  },
  [token("Image")]: objectType(
    "The photo of an IndexedFace: set `path` or `s3`. It must show exactly one face.",
    {
      path: string("A local JPEG or PNG file (up to 5 MB), relative to the stack's folder."),
      s3: ref("S3Object", "An S3 object (up to 15 MB) in the collection's region."),
    },
  ),
  [token("S3Object")]: objectType(
    "An S3 object. A new version or key re-indexes the face.",
    {
      bucket: string("The bucket."),
      key: string("The object's key."),
      version: string("The object's version ID (to re-index an overwritten object, pass its new version)."),
    },
    ["bucket", "key"],
  ),
  [token("BoundingBox")]: objectType(
    "Where the face is in the image, as ratios of its width and height.",
    {
      width: number(),
      height: number(),
      left: number(),
      top: number(),
    },
    ["width", "height", "left", "top"],
  ),
  [token("FaceFailure")]: objectType(
    "Why one face could not be associated or disassociated.",
    {
      faceId: string(),
      reason: string("Rekognition's reason, verbatim (or QUOTA_EXCEEDED for the per-user cap)."),
      otherUserId: string("ASSOCIATED_TO_A_DIFFERENT_USER: the user that has the face."),
      confidence: number("LOW_MATCH_CONFIDENCE: how well the face matched the user."),
    },
    ["faceId", "reason"],
  ),
  [token("PersonFailure")]: objectType(
    "Why a person of a bulk roster is not as declared after a run.",
    {
      userId: string(),
      face: ref("FaceFailure", "A face that failed to associate or disassociate, with Rekognition's reason."),
      photo: string("A photo that failed to index, or a call that failed for the whole person."),
      reason: string(
        "A short reason, the key failures are counted by (e.g. LOW_MATCH_CONFIDENCE, AccessDeniedException).",
      ),
      message: string("The whole line, worded as UserFaceAssociation words it."),
    },
    ["userId", "reason", "message"],
  ),
  [token("ShardPhoto")]: objectType(
    "A photo of a shard's person whose content digest is known already (an S3 listing's ETag).",
    {
      photo: string("A local path or an s3:// URL."),
      digest: string("Its content's digest: a new digest is a new photo."),
    },
    ["photo", "digest"],
  ),
  [token("RosterUser")]: objectType(
    "One person of the roster, as deployed.",
    {
      userId: string(),
      faceIds: arrayOf(strings, "The person's associated faces, sorted."),
      userStatus: ref("UserStatus", "ACTIVE once every face is applied and the person is searchable."),
    },
    ["userId", "faceIds", "userStatus"],
  ),
  [token("RosterSummary")]: objectType(
    "A roster's summary: the same few lines at any number of people.",
    {
      people: integer("People the roster records."),
      faces: integer("Faces associated with them."),
      notActive: integer("People whose user is not ACTIVE (not yet searchable, or MISSING after a refresh)."),
      notActivePeople: arrayOf(
        strings,
        'The first of them by user ID with their status, e.g. "p017: UPDATING", then "… and 41 more".',
      ),
    },
    ["people", "faces", "notActive", "notActivePeople"],
  ),
  [token("Endpoints")]: objectType(
    "Custom service endpoints, as @pulumi/aws's `endpoints` entries name them.",
    {
      rekognition: string("Rekognition's endpoint (rekognition-local, a VPC endpoint)."),
      sts: string("STS's endpoint: role assumption and the account check."),
      s3: string("S3's endpoint, addressed path-style: listing a roster's S3 prefix."),
    },
  ),
  [token("AssumeRole")]: objectType(
    "A role to assume, in @pulumi/aws's terms.",
    {
      roleArn: string("Amazon Resource Name (ARN) of an IAM Role to assume prior to making API calls."),
      sessionName: string("An identifier for the assumed role session."),
      externalId: string(
        "A unique identifier that might be required when you assume a role in another account.",
      ),
      duration: string(
        "The duration, between 15 minutes and 12 hours, of the role session. Valid time units are ns, us (or µs), ms, s, h, or m.",
      ),
      policy: string(
        "IAM Policy JSON describing further restricting permissions for the IAM Role being assumed.",
      ),
      policyArns: arrayOf(
        strings,
        "Amazon Resource Names (ARNs) of IAM Policies describing further restricting permissions for the IAM Role being assumed.",
      ),
      tags: mapOf(strings, "Assume role session tags."),
      transitiveTagKeys: arrayOf(strings, "Assume role session tag keys to pass to any subsequent sessions."),
      sourceIdentity: string("Source identity specified by the principal assuming the role."),
    },
    ["roleArn"],
  ),
};

// ---- configuration: the keys the dynamic provider reads as `aws:*` (../aws/settings.ts), in this package's namespace ----

const configuration: Properties = {
  region: string("The region where AWS operations will take place. Examples are us-east-1, us-west-2, etc."),
  profile: string(
    "The profile for API operations. If not set, the default profile created with `aws configure` will be used.",
  ),
  maxRetries: integer("Retries per call for throttling and 5xx (default 9: ten attempts)."),
  endpoints: arrayOf(
    ref("Endpoints"),
    "Custom endpoints: `rekognition` (rekognition-local), `sts` (role assumption, the account check), `s3` (listing a roster's S3 prefix).",
  ),
  accessKey: secret(
    string(
      "An access key ID; with `secretKey` it takes precedence over the profile, the shared files and the environment.",
    ),
  ),
  secretKey: secret(string("Its secret access key.")),
  token: secret(string("A session token for temporary keys.")),
  sharedCredentialsFiles: arrayOf(
    strings,
    "Credentials files to read the profile from instead of ~/.aws/credentials; a later file takes precedence.",
  ),
  sharedConfigFiles: arrayOf(
    strings,
    "Config files instead of ~/.aws/config; a later file takes precedence.",
  ),
  assumeRoles: arrayOf(
    ref("AssumeRole"),
    "Roles assumed in order, each with the previous one's credentials.",
  ),
  assumeRole: ref("AssumeRole", "The older single-role form of `assumeRoles` (set one or the other)."),
  allowedAccountIds: arrayOf(
    strings,
    "Account IDs: before the first Rekognition call, STS GetCallerIdentity must name one of them.",
  ),
  forbiddenAccountIds: arrayOf(
    strings,
    "Account IDs the credentials must not belong to (set this or `allowedAccountIds`).",
  ),
  rateLimits: mapOf(
    { type: "number" },
    'Client-side transactions per second by operation, such as {"default": 5, "IndexFaces": 50} (`default`: the operations not named; 0: no limit).',
  ),
};

// ---- resources ----

const collection: ResourceSpec = {
  description: "A Rekognition face collection (CreateCollection / DeleteCollection). ID: the collection ID.",
  inputProperties: {
    collectionId: string(describe.collectionId),
    tags: mapOf(strings, "Tags on the collection (at most 200)."),
    adopt: boolean(
      "Manage a collection that already exists instead of failing with its ResourceAlreadyExistsException. Default false.",
    ),
    deleteOnDestroy: boolean(
      "Delete the collection, with every face and user in it, when the resource is destroyed. Default: true if this resource created it, false if adopted.",
    ),
  },
  requiredInputs: ["collectionId"],
  properties: {
    collectionId: string(describe.collectionId),
    tags: mapOf(strings, "Tags on the collection."),
    adopt: boolean("Whether an existing collection was to be adopted."),
    deleteOnDestroy: boolean("Delete the collection on destroy; unset: only if this resource created it."),
    arn: string("The collection's ARN, as Rekognition reports it."),
    faceModelVersion: string("The version of the face model the collection uses."),
    faceCount: integer("Faces in the collection, as of the last create or `pulumi refresh`."),
    userCount: integer("Users in the collection, as of the last create or `pulumi refresh`."),
    origin: ref("Origin", describe.origin),
  },
  required: ["collectionId", "tags", "adopt", "arn", "faceModelVersion", "faceCount", "userCount", "origin"],
};

const user: ResourceSpec = {
  description:
    "A Rekognition user (CreateUser / DeleteUser): the person that faces are associated with. ID: `<collectionId>/<userId>`; another collection or user ID replaces it.",
  inputProperties: {
    collectionId: string("The collection the user belongs to."),
    userId: string(describe.userId),
    adopt: boolean(
      "Manage a user that already exists instead of failing with its ConflictException. Default false.",
    ),
    deleteOnDestroy: boolean(
      "Delete the user when the resource is destroyed. Default: true for a user this resource created, false for an adopted one.",
    ),
  },
  requiredInputs: ["collectionId", "userId"],
  properties: {
    collectionId: string("The collection the user belongs to."),
    userId: string(describe.userId),
    adopt: boolean("Whether an existing user was to be adopted."),
    deleteOnDestroy: boolean("Delete the user on destroy; unset: only if this resource created it."),
    userStatus: ref("UserStatus", "CREATED until faces are associated; refreshed by `pulumi refresh`."),
    origin: ref("Origin", describe.origin),
  },
  required: ["collectionId", "userId", "adopt", "userStatus", "origin"],
};

const indexedFace: ResourceSpec = {
  description:
    "One face indexed from one photo (IndexFaces / DeleteFaces). A photo with no face, or with more than one, is an error. A local photo is identified by its content (SHA-256): new content replaces the face, a renamed file does not. ID: `<collectionId>/<faceId>`.",
  inputProperties: {
    collectionId: string("The collection to index the face into."),
    image: ref("Image", "The photo: it must show exactly one face."),
    externalImageId: string("A label stored with the face and returned by searches (e.g. the user ID)."),
    qualityFilter: ref("QualityFilter", describe.qualityFilter),
  },
  requiredInputs: ["collectionId", "image"],
  properties: {
    collectionId: string("The collection the face is indexed into."),
    image: ref("Image", "The photo the face was indexed from."),
    externalImageId: string("The label stored with the face."),
    qualityFilter: ref("QualityFilter", describe.qualityFilter),
    faceId: string("The face's ID."),
    boundingBox: ref("BoundingBox", "Where the face is in the image."),
    confidence: number("How confident Rekognition is that the box holds a face (0–100)."),
    imageId: string("The ID Rekognition gave the image."),
    imageSha256: string("SHA-256 of a local photo's bytes."),
  },
  required: ["collectionId", "image", "faceId", "boundingBox", "confidence", "imageId"],
};

const association: ResourceSpec = {
  description:
    "Declares which indexed faces belong to a Rekognition user. `pulumi up` calls AssociateFaces for added faces and DisassociateFaces for removed ones; every face that fails is a deployment error, and the state records the faces that really are associated. ID: `<collectionId>/<userId>`.",
  inputProperties: {
    collectionId: string("The collection that holds the user and the faces."),
    userId: string("The Rekognition user (created by a User resource or CreateUser)."),
    faceIds: arrayOf(
      strings,
      "The faces that belong to the user: a set, order does not matter. At most 100.",
    ),
    userMatchThreshold: number(describe.userMatchThreshold),
    exclusive: boolean(
      "When true, the declared faces are the user's whole set: faces associated some other way are disassociated. Default false: only the declared faces are managed, others are left alone.",
    ),
    waitForActive: boolean(describe.waitForActive),
    activeTimeoutSeconds: number(
      `${describe.activeTimeoutSeconds} Default ${defaults.activeTimeoutSeconds}.`,
    ),
  },
  requiredInputs: ["collectionId", "userId", "faceIds"],
  properties: {
    collectionId: string("The collection that holds the user and the faces."),
    userId: string("The Rekognition user."),
    faceIds: arrayOf(strings, "The declared faces that are associated with the user, sorted."),
    userStatus: ref("UserStatus", "The user's status after the last change (ACTIVE once searchable)."),
    failedFaces: arrayOf(
      ref("FaceFailure"),
      "Faces that failed in the last apply, with Rekognition's reasons.",
    ),
    userMatchThreshold: number("The confidence (0–100) a new face must match the user's faces with."),
    exclusive: boolean("Whether the declared faces are the user's whole set."),
    waitForActive: boolean("Whether a change waits until the user is ACTIVE."),
    activeTimeoutSeconds: number(describe.activeTimeoutSeconds),
  },
  required: [
    "collectionId",
    "userId",
    "faceIds",
    "userStatus",
    "failedFaces",
    "userMatchThreshold",
    "exclusive",
    "waitForActive",
    "activeTimeoutSeconds",
  ],
};

const shard: ResourceSpec = {
  description:
    "One shard of a bulk FaceRoster: a share of its people, reconciled as one resource. Its state records, person by person, the user, each photo's face and the faces associated. A FaceRoster in bulk mode declares its shards: declare one directly only to split a roster yourself.",
  inputProperties: {
    collectionId: string("The collection that holds the users and faces."),
    shard: string('Which shard of its roster this is, e.g. "3/16".'),
    people: mapOf(
      { type: "array", items: { oneOf: [strings, { $ref: `#/types/${token("ShardPhoto")}` }] } },
      "Each person of this shard (their user ID) and their photos (paths, s3:// URLs) and face IDs.",
    ),
    exclusive: boolean("Make each person's declared faces their whole set. Default false."),
    userMatchThreshold: number(describe.userMatchThreshold),
    adopt: boolean(
      "Take over people whose Rekognition users already exist instead of failing. Default false.",
    ),
    deleteUsersOnDestroy: boolean(
      "Delete the shard's users on destroy. Default: those it created, not those it adopted.",
    ),
    waitForActive: boolean(describe.waitForActive),
    activeTimeoutSeconds: number(
      `${describe.activeTimeoutSeconds} Default ${shardDefaults.activeTimeoutSeconds}.`,
    ),
    qualityFilter: ref("QualityFilter", describe.qualityFilter),
    handOver: boolean(
      "Hand the faces of removed photos over (the `handedOver` output) instead of deleting them: for a RetiredFaces that deletes every shard's at once. FaceRoster sets it. Default false.",
    ),
  },
  requiredInputs: ["collectionId", "shard", "people"],
  properties: {
    collectionId: string("The collection that holds the users and faces."),
    shard: string("Which shard of its roster this is."),
    roster: string(
      "The truth, a line a person (`<userId>: <JSON>`, sorted by user ID): the user, each photo's face and the faces associated.",
    ),
    summary: ref("RosterSummary", "The shard's part of its roster's summary."),
    failures: arrayOf(
      ref("PersonFailure"),
      "The last run's failures (the first few; `failureCount` counts them all).",
    ),
    failureCount: integer("How many people failed in the last run."),
    handedOver: arrayOf(
      strings,
      "Faces this shard retired and handed over to its roster's RetiredFaces; each stays listed until a later scan shows it gone.",
    ),
    exclusive: boolean("Whether each person's declared faces are their whole set."),
    userMatchThreshold: number("The confidence (0–100) a new face must match the person's faces with."),
    adopt: boolean("Whether existing users are taken over."),
    deleteUsersOnDestroy: boolean("Delete the shard's users on destroy; unset: those it created."),
    waitForActive: boolean("Whether a change waits until each user is ACTIVE."),
    activeTimeoutSeconds: number(describe.activeTimeoutSeconds),
    qualityFilter: ref("QualityFilter", describe.qualityFilter),
  },
  required: [
    "collectionId",
    "shard",
    "roster",
    "failures",
    "failureCount",
    "exclusive",
    "userMatchThreshold",
    "adopt",
    "waitForActive",
    "activeTimeoutSeconds",
  ],
};

const retiredFaces: ResourceSpec = {
  description:
    "The faces a bulk FaceRoster's shards retired (the faces of removed or replaced photos, associated with nobody), deleted together once every shard is done: one DeleteFaces for each 4,096, whatever the engine's parallelism. A FaceRoster in bulk mode declares it.",
  inputProperties: {
    collectionId: string("The collection that holds the faces."),
    faces: arrayOf(strings, "The faces to delete: the roster's shards' `handedOver` outputs."),
  },
  requiredInputs: ["collectionId", "faces"],
  properties: {
    collectionId: string("The collection that holds the faces."),
    faces: arrayOf(strings, "The faces it was given by its last update."),
    remaining: arrayOf(
      strings,
      "Those of `faces` still in the collection after a failed deletion: the next `pulumi up` tries again.",
    ),
    released: arrayOf(
      strings,
      "Those of `faces` that a user or another declaration took since they were handed over: left to it, never deleted here.",
    ),
  },
  required: ["collectionId", "faces", "remaining", "released"],
};

const roster: ResourceSpec = {
  description:
    "A whole face roster: for each person a User, an IndexedFace per photo, and a UserFaceAssociation of those faces with the user (or, in bulk mode, FaceRosterShard resources). Adding or removing a person or a photo is a one-line change to `people`.",
  isComponent: true,
  inputProperties: {
    collectionId: string(
      "The collection that holds the users and faces (e.g. a Collection's collectionId output).",
    ),
    people: mapOf(
      { type: "array", items: strings },
      "Each person (their user ID) and their photos: local paths (relative to the stack's folder), `s3://bucket/key` URLs, or IDs of faces already indexed. Each photo must show exactly that one person. Set this, `manifest` or `s3Prefix`.",
    ),
    manifest: string(
      "The same people from a file (its path relative to the stack's folder): YAML (`.yaml`/`.yml`), JSON or CSV (`userId,photo` rows). Photo paths in it are relative to the file's folder. Set this or `people`.",
    ),
    s3Prefix: string(
      "Bulk mode: the people from an S3 prefix laid out as `s3://bucket/prefix/<userId>/<photo>.jpg|.png`, listed when the program runs. Set this, `people` or `manifest`.",
    ),
    exclusive: boolean("Make each person's declared faces their whole set. Default false."),
    userMatchThreshold: number(
      `The confidence (0–100) a new face must match the person's faces with. Default ${shardDefaults.userMatchThreshold}.`,
    ),
    adopt: boolean(
      "Take over people whose Rekognition users already exist (made outside this stack, or by a stack whose state was lost) instead of failing. Adopted users are kept on destroy unless `deleteUsersOnDestroy` says otherwise. Default false.",
    ),
    deleteUsersOnDestroy: boolean(
      "Delete the roster's users on destroy. Default: those it created, not those it adopted.",
    ),
    mode: ref(
      "RosterMode",
      '"per-resource" (the default) or "bulk": the people split into `shards` resources; for rosters of hundreds of people and more. Switching keeps every user and face.',
    ),
    shards: integer(
      `Bulk mode: how many shard resources share the people (by a hash of the user ID), 1 to ${maxShards}. Default ${shardDefaults.shards}.`,
    ),
  },
  requiredInputs: ["collectionId"],
  properties: {
    users: mapOf(
      ref("RosterUser"),
      "Each person by user ID. In bulk mode it is not one of the roster's recorded outputs (at thousands of people it would flood `pulumi up` and the state).",
    ),
    summary: ref(
      "RosterSummary",
      "How many people and faces, and who is not yet ACTIVE: the same few lines at any number of people.",
    ),
  },
  required: ["summary"],
};

/** The package schema of this release (`version`: package.json's). */
export function packageSchema(version: string): PackageSchema {
  return {
    name: packageName,
    displayName: "Rekognition Faces",
    version,
    description:
      "Amazon Rekognition face rosters as Pulumi resources: collections, users, indexed faces and which faces belong to which user.",
    keywords: ["pulumi", "aws", "rekognition", "faces", "category/cloud"],
    license: "Apache-2.0",
    meta: { moduleFormat: "(.*)", supportPack: true },
    language: {
      nodejs: {},
      python: {
        packageName: "pulumi_rekognition_faces",
        requires: { pulumi: ">=3.259.0,<4.0.0" },
        pyproject: { enabled: true },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: goImportBasePath,
        generateResourceContainerTypes: true,
        respectSchemaVersion: true,
      },
    },
    config: { variables: configuration },
    provider: {
      description:
        "The provider of rekognition-faces resources: how to reach Rekognition, and this stack's identity.",
      inputProperties: {
        ...configuration,
        stackIdentity: string(
          "This stack's identity, minted by the provider when its state is first recorded; do not set it.",
        ),
      },
      properties: {},
    },
    types,
    resources: {
      [token("Collection")]: collection,
      [token("User")]: user,
      [token("IndexedFace")]: indexedFace,
      [token("UserFaceAssociation")]: association,
      [token("FaceRosterShard")]: shard,
      [token("RetiredFaces")]: retiredFaces,
      [token("FaceRoster")]: roster,
    },
  };
}
