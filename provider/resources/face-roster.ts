import * as pulumi from "@pulumi/pulumi";
import { closest } from "../check.js";
import { rosterPeople } from "../roster/manifest.js";
import { peopleFromS3Prefix, s3ListClientFromStack } from "../roster/s3-prefix.js";
import { planRoster, RosterError, type PersonPlan } from "../roster/plan.js";
import { shardDefaults, maxShards } from "../bulk/model.js";
import { decodeRoster } from "../bulk/encoding.js";
import { shardOf } from "../bulk/plan.js";
import {
  mergeSummaries,
  shownPerson,
  summarizeRecords,
  summarizeRoster,
  type RosterSummary,
} from "../bulk/summary.js";
import { Collection, keptOnDestroyBy } from "./collection.js";
import { FaceRosterShard, type FaceRosterShardArgs, type ShardEntry } from "./face-roster-shard.js";
import { IndexedFace, type IndexedFaceArgs } from "./indexed-face.js";
import { RetiredFaces, type RetiredFacesArgs } from "./retired-faces.js";
import { User, type UserArgs } from "./user.js";
import { UserFaceAssociation, type UserFaceAssociationArgs } from "./user-face-association.js";

export interface FaceRosterArgs {
  /** The collection that holds the users and faces (e.g. a Collection's collectionId output). */
  readonly collectionId: pulumi.Input<string>;
  /**
   * Each person (their user ID) and their photos: local paths (relative to
   * the stack's folder), `s3://bucket/key` URLs, or IDs of faces already
   * indexed. Each photo must show exactly that one person. Set this or `manifest`.
   */
  readonly people?: Readonly<Record<string, readonly string[]>>;
  /**
   * The same people from a file (its path relative to the stack's folder):
   * YAML (`.yaml`/`.yml`), JSON or CSV (`userId,photo` rows). Photo paths in
   * it are relative to the file's folder. Set this or `people`.
   */
  readonly manifest?: string;
  /**
   * Bulk mode: the people from an S3 prefix laid out as
   * `s3://bucket/prefix/<userId>/<photo>.jpg|.png`, listed when the program
   * runs (with the stack's `aws:` settings). Set this, `people` or `manifest`.
   */
  readonly s3Prefix?: string;
  /** Make each person's declared faces their whole set. Default false. */
  readonly exclusive?: pulumi.Input<boolean>;
  /** The confidence (0–100) a new face must match the person's faces with. Default 75. */
  readonly userMatchThreshold?: pulumi.Input<number>;
  /**
   * Take over people whose Rekognition users already exist (made outside this
   * stack, or by a stack whose state was lost) instead of failing. Adopted
   * users are kept on destroy unless `deleteUsersOnDestroy` says otherwise.
   * Default false. Faces already associated with them are adopted by the
   * association as always.
   */
  readonly adopt?: pulumi.Input<boolean>;
  /** Delete the roster's users on destroy. Default: those it created, not those it adopted. */
  readonly deleteUsersOnDestroy?: pulumi.Input<boolean>;
  /**
   * "per-resource" (the default): a User, an IndexedFace per photo and a
   * UserFaceAssociation per person. "bulk": the people split into `shards`
   * resources, each reconciling its share in one step; for rosters of
   * hundreds of people and more. Switching keeps every user and face.
   */
  readonly mode?: "per-resource" | "bulk";
  /** Bulk mode: how many shard resources share the people (by a hash of the user ID). Default 16. */
  readonly shards?: number;
}

/** One person of the roster, as deployed. */
export interface RosterUser {
  readonly userId: string;
  /** The person's associated faces, sorted. */
  readonly faceIds: string[];
  /** ACTIVE once every face is applied and the person is searchable. */
  readonly userStatus: string;
}

/**
 * The resources a roster is made of, as one host provides them: the dynamic
 * provider's classes for FaceRoster, the provider plugin's when the plugin
 * constructs its FaceRoster component (../plugin/roster.ts).
 */
export interface RosterKit {
  /** The component's type token. */
  readonly type: string;
  user(
    name: string,
    args: UserArgs,
    opts: pulumi.CustomResourceOptions,
  ): { readonly userId: pulumi.Output<string> } & pulumi.Resource;
  indexedFace(
    name: string,
    args: IndexedFaceArgs,
    opts: pulumi.CustomResourceOptions,
  ): { readonly faceId: pulumi.Output<string> } & pulumi.Resource;
  association(
    name: string,
    args: UserFaceAssociationArgs,
    opts: pulumi.CustomResourceOptions,
  ): Pick<UserFaceAssociation, "userId" | "faceIds" | "userStatus"> & pulumi.Resource;
  shard(
    name: string,
    args: FaceRosterShardArgs,
    opts: pulumi.CustomResourceOptions,
  ): Pick<FaceRosterShard, "roster" | "summary" | "handedOver"> & pulumi.Resource;
  retiredFaces(name: string, args: RetiredFacesArgs, opts: pulumi.CustomResourceOptions): pulumi.Resource;
}

/** The dynamic provider's resources. */
const dynamicKit: RosterKit = {
  type: "rekognition:index:FaceRoster",
  user: (name, args, opts) => new User(name, args, opts),
  indexedFace: (name, args, opts) => new IndexedFace(name, args, opts),
  association: (name, args, opts) => new UserFaceAssociation(name, args, opts),
  shard: (name, args, opts) => new FaceRosterShard(name, args, opts),
  retiredFaces: (name, args, opts) => new RetiredFaces(name, args, opts),
};

/**
 * A whole face roster: for each person a User, an IndexedFace per photo, and
 * a UserFaceAssociation of those faces with the user. Adding or removing a
 * person or a photo is a one-line change to `people`.
 */
export class FaceRoster extends pulumi.ComponentResource {
  /**
   * Each person by user ID. In bulk mode it is not one of the roster's
   * recorded outputs (at thousands of people it would flood `pulumi up` and the
   * state): export the part you need from the program. Bulk mode reads every
   * person's record to make it, only when the program reads it.
   */
  declare readonly users: pulumi.Output<Record<string, RosterUser>>;
  /** People, faces, and who is not ACTIVE (the first few): the same size at any number of people. */
  readonly summary: pulumi.Output<RosterSummary>;

  constructor(
    name: string,
    args: FaceRosterArgs,
    opts?: pulumi.ComponentResourceOptions,
    kit: RosterKit = dynamicKit,
  ) {
    checkInputNames(name, args);
    checkDeletedWith(name, opts?.deletedWith);
    checkIgnoreChanges(name, opts?.ignoreChanges);
    super(kit.type, name, {}, opts);
    if (args.mode === "bulk") {
      const shards = bulkRoster(this, kit, name, args);
      let users: pulumi.Output<Record<string, RosterUser>> | undefined;
      Object.defineProperty(this, "users", { enumerable: true, get: () => (users ??= usersOf(shards)) });
      this.summary = summaryOf(shards);
      this.registerOutputs({ summary: this.summary });
      return;
    }
    if (args.mode !== undefined && args.mode !== "per-resource")
      throw new pulumi.RunError(
        `FaceRoster '${name}': mode must be "per-resource" or "bulk", got ${JSON.stringify(args.mode)}`,
      );
    if (args.s3Prefix !== undefined)
      throw new pulumi.RunError(
        `FaceRoster '${name}': s3Prefix is listed when the program runs, which needs mode: "bulk": set it`,
      );
    if (args.shards !== undefined)
      throw new pulumi.RunError(
        `FaceRoster '${name}': shards applies to mode: "bulk" only: remove it, or set mode`,
      );
    const parent = { parent: this };
    const deployed: Record<string, pulumi.Output<RosterUser>> = {};

    for (const person of rosterOf(name, args)) {
      const user = kit.user(
        person.userName,
        {
          collectionId: args.collectionId,
          userId: person.userId,
          ...(args.adopt !== undefined && { adopt: args.adopt }),
          ...(args.deleteUsersOnDestroy !== undefined && { deleteOnDestroy: args.deleteUsersOnDestroy }),
        },
        parent,
      );
      const faces = person.photos.map((photo) =>
        kit.indexedFace(
          photo.name,
          { collectionId: args.collectionId, image: photo.image, externalImageId: person.userId },
          { ...parent, ...(photo.formerName && { aliases: [{ name: photo.formerName }] }) },
        ),
      );
      const association = kit.association(
        person.associationName,
        {
          collectionId: args.collectionId,
          userId: user.userId,
          faceIds: [...faces.map((face) => face.faceId), ...person.faceIds],
          ...(args.exclusive !== undefined && { exclusive: args.exclusive }),
          ...(args.userMatchThreshold !== undefined && { userMatchThreshold: args.userMatchThreshold }),
        },
        // Deleted before its faces and its user: a face still associated cannot be deleted.
        { parent: this, dependsOn: [user, ...faces] },
      );
      deployed[person.userId] = pulumi
        .all([association.userId, association.faceIds, association.userStatus])
        .apply(([userId, faceIds, userStatus]) => ({ userId, faceIds, userStatus }));
    }

    this.users = pulumi.output(deployed);
    this.summary = this.users.apply(summarizeRoster);
    this.registerOutputs({ users: this.users, summary: this.summary });
  }
}

/** Every input a FaceRoster takes; the type check below keeps it in step with FaceRosterArgs. */
const rosterInputNames = [
  "collectionId",
  "people",
  "manifest",
  "s3Prefix",
  "exclusive",
  "userMatchThreshold",
  "adopt",
  "deleteUsersOnDestroy",
  "mode",
  "shards",
] as const satisfies readonly (keyof FaceRosterArgs)[];
const everyInputNamed: Exclude<keyof FaceRosterArgs, (typeof rosterInputNames)[number]> extends never
  ? true
  : never = true;
void everyInputNamed;

/**
 * A misspelt input (from JavaScript, a cast or parsed JSON) would otherwise
 * be ignored, its default silently used: it is refused, with the name meant.
 */
function checkInputNames(name: string, args: FaceRosterArgs): void {
  const known: readonly string[] = rosterInputNames;
  const unknown = Object.keys(args ?? {}).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  throw new pulumi.RunError(
    unknown
      .map(
        (key) =>
          `FaceRoster '${name}': '${key}' is not an input: did you mean '${closest(key, known)}'? ` +
          `(the inputs: ${known.join(", ")}): rename or remove it`,
      )
      .join("\n"),
  );
}

/**
 * Pulumi applies a component's ignoreChanges to the component alone, never to
 * the users, faces and shards it declares: a roster given it would go on
 * changing its people as declared, while the program said otherwise.
 */
function checkIgnoreChanges(name: string, ignoreChanges: readonly string[] | undefined): void {
  if (!ignoreChanges?.length) return;
  throw new pulumi.RunError(
    `FaceRoster '${name}': ignoreChanges (${ignoreChanges.join(", ")}) would change nothing: Pulumi applies a ` +
      "component's ignoreChanges to the component alone, and a roster's people are its users, faces and shards. " +
      "Remove it; to keep the roster as deployed, leave its people as they are",
  );
}

/**
 * A roster deleted with a collection skips its own deletions (the engine's
 * `deletedWith`), so that collection must say a destroy deletes it: a kept
 * one would keep every user and face of the roster, recorded nowhere.
 */
function checkDeletedWith(name: string, deletedWith: pulumi.Resource | undefined): void {
  const kept = deletedWith instanceof Collection ? keptOnDestroyBy(deletedWith) : undefined;
  if (kept)
    throw new pulumi.RunError(
      `FaceRoster '${name}': deletedWith names Collection '${kept.name}', but ${kept.reason}, and with it ` +
        "every user and face of the roster: give the collection deleteOnDestroy: true (and no retainOnDelete), " +
        "or remove deletedWith",
    );
}

/**
 * The bulk roster: a fixed number of shards, each person in the one its user
 * ID hashes to, so adding or removing people never moves anyone else.
 */
function bulkRoster(
  roster: FaceRoster,
  kit: RosterKit,
  name: string,
  args: FaceRosterArgs,
): ReturnType<RosterKit["shard"]>[] {
  const count = args.shards ?? shardDefaults.shards;
  if (!Number.isInteger(count) || count < 1 || count > maxShards)
    throw new pulumi.RunError(
      `FaceRoster '${name}': shards must be a whole number from 1 to ${maxShards}, got ${JSON.stringify(count)}`,
    );
  const people = bulkPeople(name, args);
  const shares =
    people instanceof Promise ? pulumi.output(people.then((all) => split(all, count))) : split(people, count);
  // Each share crosses to the engine as one JSON text: one value to
  // serialize, marshal and log instead of a list for every person.
  const shareOf = (index: number): pulumi.Input<string> =>
    Array.isArray(shares)
      ? JSON.stringify(shares[index]!)
      : shares.apply((all) => JSON.stringify(all[index]!));
  const shards = Array.from({ length: count }, (_, index) =>
    kit.shard(
      `${name}-shard-${index}`,
      {
        collectionId: args.collectionId,
        shard: `${index}/${count}`,
        people: shareOf(index),
        ...(args.exclusive !== undefined && { exclusive: args.exclusive }),
        ...(args.userMatchThreshold !== undefined && { userMatchThreshold: args.userMatchThreshold }),
        ...(args.adopt !== undefined && { adopt: args.adopt }),
        ...(args.deleteUsersOnDestroy !== undefined && { deleteUsersOnDestroy: args.deleteUsersOnDestroy }),
        handOver: true,
      },
      { parent: roster },
    ),
  );
  // What the shards retire goes at once, after all of them: one DeleteFaces
  // for each 4,096 faces, however many shards the engine runs at a time.
  kit.retiredFaces(
    `${name}-retired-faces`,
    {
      collectionId: args.collectionId,
      faces: pulumi
        .all(shards.map((shard) => shard.handedOver))
        .apply((lists) => lists.flatMap((l) => l ?? [])),
    },
    { parent: roster },
  );
  return shards;
}

type Shard = ReturnType<RosterKit["shard"]>;

/** Each person of the shards, from their records. */
function usersOf(shards: readonly Shard[]): pulumi.Output<Record<string, RosterUser>> {
  return pulumi.all(shards.map((shard) => shard.roster)).apply((rosters) => {
    const users: Record<string, RosterUser> = {};
    for (const roster of rosters)
      for (const [userId, record] of Object.entries(decodeRoster(roster)))
        users[userId] = { userId, ...shownPerson(record) };
    return users;
  });
}

/**
 * The roster's summary: the shards' parts added up. A state an earlier
 * release wrote has no part until its next `up`: its people are read instead.
 */
function summaryOf(shards: readonly Shard[]): pulumi.Output<RosterSummary> {
  return pulumi
    .all(shards.map((shard) => pulumi.all([shard.summary, shard.roster])))
    .apply((parts) =>
      mergeSummaries(parts.map(([summary, roster]) => summary ?? summarizeRecords(decodeRoster(roster)))),
    );
}

/** The people of each shard: those whose user ID hashes to it (each user ID hashed once). */
function split(
  people: Readonly<Record<string, ShardEntry[]>>,
  count: number,
): Record<string, ShardEntry[]>[] {
  const shares = Array.from({ length: count }, (): Record<string, ShardEntry[]> => ({}));
  for (const [userId, entries] of Object.entries(people)) shares[shardOf(userId, count)]![userId] = entries;
  return shares;
}

/** A bulk roster's people: declared, from a manifest, or listed from S3 (a promise). */
function bulkPeople(
  name: string,
  args: FaceRosterArgs,
): Record<string, ShardEntry[]> | Promise<Record<string, ShardEntry[]>> {
  if (args.s3Prefix === undefined) return peopleOf(name, args);
  if (args.people !== undefined || args.manifest !== undefined)
    throw new pulumi.RunError(
      `FaceRoster '${name}': set one of people, manifest and s3Prefix: remove the others`,
    );
  const listed = peopleFromS3Prefix(name, args.s3Prefix, s3ListClientFromStack()).catch((err: unknown) => {
    throw err instanceof RosterError ? new pulumi.RunError(err.message) : err;
  });
  return listed.then((people) =>
    Object.fromEntries(
      Object.entries(people).map(([userId, photos]) => [
        userId,
        photos.map((p) => ({ photo: p.entry, digest: p.etag })),
      ]),
    ),
  );
}

/** The people map, checked as the per-resource roster checks it (a manifest's people are checked as it is read). */
function peopleOf(name: string, args: FaceRosterArgs): Record<string, string[]> {
  try {
    const people = rosterPeople(name, args.people, args.manifest);
    if (args.manifest === undefined) planRoster(name, people);
    return people as Record<string, string[]>;
  } catch (err) {
    if (err instanceof RosterError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

/** The roster's plan; a malformed roster stops the program with the message alone, no stack trace. */
function rosterOf(name: string, args: FaceRosterArgs): PersonPlan[] {
  try {
    return planRoster(name, rosterPeople(name, args.people, args.manifest));
  } catch (err) {
    if (err instanceof RosterError) throw new pulumi.RunError(err.message);
    throw err;
  }
}
