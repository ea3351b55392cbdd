import {
  ListFacesCommand,
  ListUsersCommand,
  type ListFacesCommandOutput,
  type ListUsersCommandOutput,
} from "@aws-sdk/client-rekognition";
import { expect } from "vitest";
import { decodeRoster, personForm, storedPeople, type StoredRoster } from "../../provider/bulk/encoding.js";
import { facesOfUser, type LocalRekognition } from "./rekognition.js";
import type { StateResource, TestStack } from "./stack.js";

export const associationType = "pulumi-nodejs:dynamic/rekognition:UserFaceAssociation";

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

interface AssociationOutputs {
  collectionId: string;
  userId: string;
  faceIds: string[];
  faces: Record<string, true>;
  observedFaces?: string[];
  pendingFaces?: string[];
  exclusive: boolean;
}

/** The associations the stack's state holds, by logical name: what they
 * record, and the faces their inputs declare. */
export async function recordedAssociations(
  stack: TestStack,
  type = associationType,
): Promise<Map<string, AssociationOutputs & { declared: string[] }>> {
  const byName = new Map<string, AssociationOutputs & { declared: string[] }>();
  for (const r of await stack.resources(type)) {
    const outputs = r.outputs as unknown as AssociationOutputs;
    const declared = Object.keys(r.inputs?.["faces"] ?? {});
    byName.set(nameOf(r), { ...outputs, declared });
  }
  return byName;
}

export function nameOf(resource: StateResource): string {
  return resource.urn.slice(resource.urn.lastIndexOf("::") + 2);
}

/**
 * The first promise, checked against the service: for every association in
 * the state, the faces it records as managed are the user's, no face of the
 * user that it declares is missing from it, unsettled faces are the only
 * uncertainty, and in exclusive mode it accounts for every face of the user.
 */
export async function expectStateMatchesService(
  stack: TestStack,
  local: LocalRekognition,
  options: { allowUnsettled?: boolean; type?: string } = {},
): Promise<void> {
  for (const [name, recorded] of await recordedAssociations(stack, options.type)) {
    const live = await facesOfUser(local, recorded.collectionId, recorded.userId);
    const pending = recorded.pendingFaces ?? [];
    const where = `association ${name} (${recorded.collectionId}/${recorded.userId})`;
    if (!options.allowUnsettled) expect(pending, `${where}: unsettled faces`).toEqual([]);
    const unsure = new Set(pending);
    expect(
      recorded.faceIds.filter((id) => !live.includes(id)),
      `${where}: recorded faces the service does not list`,
    ).toEqual([]);
    const observed = new Set(recorded.observedFaces ?? []);
    expect(
      recorded.declared.filter(
        (id) => live.includes(id) && !recorded.faceIds.includes(id) && !unsure.has(id) && !observed.has(id),
      ),
      `${where}: associated faces it declares but does not record`,
    ).toEqual([]);
    if (recorded.exclusive) {
      expect(
        sorted(live.filter((id) => !unsure.has(id))),
        `${where}: exclusive mode accounts for every face of the user`,
      ).toEqual(sorted([...recorded.faceIds, ...(recorded.observedFaces ?? [])]));
    }
  }
}

/** No declared face is lost: each user has at least these faces. */
export async function expectUsersHold(
  local: LocalRekognition,
  collectionId: string,
  faces: Record<string, readonly string[]>,
): Promise<void> {
  for (const [userId, expected] of Object.entries(faces)) {
    const live = await facesOfUser(local, collectionId, userId);
    expect(
      expected.filter((id) => !live.includes(id)),
      `faces of ${userId} missing from the service`,
    ).toEqual([]);
  }
}

export const shardType = "pulumi-nodejs:dynamic/rekognition:FaceRosterShard";

interface RecordedPerson {
  origin: string;
  photos: Record<string, { faceId: string; digest: string }>;
  faces: Record<string, true>;
  observed?: readonly string[];
  pending?: readonly string[];
  leftover?: readonly string[];
  userStatus: string;
}

/** Every person the bulk roster's shards record, by user ID, with the shard that records them. */
export async function recordedPeople(
  stack: TestStack,
  type = shardType,
): Promise<Map<string, RecordedPerson & { collectionId: string; shard: string }>> {
  const people = new Map<string, RecordedPerson & { collectionId: string; shard: string }>();
  for (const r of await stack.resources(type)) {
    const outputs = r.outputs as { collectionId: string; roster?: StoredRoster };
    for (const [userId, person] of Object.entries(decodeRoster(outputs.roster))) {
      expect(people.has(userId), `${userId} is recorded by two shards`).toBe(false);
      people.set(userId, { ...person, collectionId: outputs.collectionId, shard: nameOf(r) });
    }
  }
  return people;
}

/**
 * The forms each shard's recorded truth writes its people in, by shard
 * (../../provider/bulk/encoding.ts): "words" for the usual person, "json"
 * for anyone else (and for everyone in releases before the words).
 */
export function personLineForms(shards: readonly StateResource[]): Map<string, string[]> {
  const forms = new Map<string, string[]>();
  for (const shard of shards) {
    const people = Object.values(storedPeople(shard.outputs?.["roster"] as StoredRoster | undefined));
    forms.set(shard.urn, [...new Set(people.map(personForm))].sort());
  }
  return forms;
}

/**
 * The lines the shards' stored inputs show, by user ID: each shard's inputs
 * hold its people as one text, a line `<userId> · <description>` each, sorted,
 * and the digest of the declaration the run kept.
 */
export function declaredLinesOf(shards: readonly StateResource[]): Map<string, string> {
  const lines = new Map<string, string>();
  for (const shard of shards) {
    const text = shard.inputs?.["people"];
    expect(typeof text, `${nameOf(shard)}'s stored people`).toBe("string");
    if (text === "") continue;
    const rows = (text as string).split("\n");
    expect(rows).toEqual([...rows].sort());
    for (const row of rows) {
      const [userId, description] = row.split(" · ", 2) as [string, string];
      lines.set(userId, row.slice(userId.length + 3));
      expect(description, row).toBeDefined();
    }
    expect(shard.inputs?.["declaration"]).toMatch(/^[0-9a-f]{64}$/);
  }
  return lines;
}

/** The shards whose state says their truth is their declaration: the next diff reads nobody's record. */
export async function settledShards(stack: TestStack, type = shardType): Promise<string[]> {
  return (await stack.resources(type))
    .filter((r) => r.outputs?.["settled"] === r.inputs?.["declaration"])
    .map(nameOf)
    .sort();
}

/**
 * The first promise for a bulk roster, person by person: the users the state
 * records exist, each one's recorded faces are exactly the faces the service
 * lists for it (additive mode: at least them, and no recorded face missing),
 * each recorded photo's face is in the collection, and no user of the
 * collection that the roster made is unrecorded.
 */
/** The RetiredFaces type beside a shard type, in either host. */
export const retiredTypeOf = (type: string): string => type.replace(/FaceRosterShard$/, "RetiredFaces");

/**
 * The faces handed over: what a RetiredFaces records as deleted is gone, what
 * it records as remaining is there; a face a shard lists as handed over and
 * nothing records as deleted is either gone (a later scan drops it) or there,
 * associated with nobody.
 */
async function expectRetiredFacesMatchService(
  stack: TestStack,
  existing: ReadonlySet<string>,
  byUser: ReadonlyMap<string, string[]>,
  type: string,
): Promise<void> {
  const associated = new Set([...byUser.values()].flat());
  const deleted = new Set<string>();
  const releasedFaces = new Set<string>();
  for (const retired of await stack.resources(retiredTypeOf(type))) {
    const {
      faces = [],
      remaining = [],
      released = [],
    } = (retired.outputs ?? {}) as {
      faces?: string[];
      remaining?: string[];
      released?: string[];
    };
    for (const faceId of remaining)
      expect(existing.has(faceId), `retired face ${faceId} recorded as remaining`).toBe(true);
    // A face released was taken by a user or a declaration since: its holder's now.
    for (const faceId of released) releasedFaces.add(faceId);
    for (const faceId of faces.filter((id) => !remaining.includes(id) && !released.includes(id))) {
      expect(existing.has(faceId), `retired face ${faceId} recorded as deleted`).toBe(false);
      deleted.add(faceId);
    }
  }
  for (const shard of await stack.resources(type)) {
    for (const faceId of ((shard.outputs ?? {})["handedOver"] as string[] | undefined) ?? []) {
      if (!existing.has(faceId)) continue;
      expect(deleted.has(faceId), `face ${faceId} handed over by ${nameOf(shard)}`).toBe(false);
      if (releasedFaces.has(faceId)) continue;
      expect(associated.has(faceId), `face ${faceId} handed over by ${nameOf(shard)} is associated`).toBe(
        false,
      );
    }
  }
}

export async function expectRosterMatchesService(
  stack: TestStack,
  local: LocalRekognition,
  collectionId: string,
  options: { exclusive?: boolean; type?: string } = {},
): Promise<Map<string, RecordedPerson>> {
  const people = await recordedPeople(stack, options.type);
  const users = new Map<string, string>();
  let token: string | undefined;
  do {
    const page: ListUsersCommandOutput = await local.client.send(
      new ListUsersCommand({ CollectionId: collectionId, MaxResults: 500, NextToken: token }),
    );
    for (const u of page.Users ?? []) users.set(u.UserId!, u.UserStatus!);
    token = page.NextToken;
  } while (token);
  const byUser = new Map<string, string[]>();
  const existing = new Set<string>();
  token = undefined;
  do {
    const page: ListFacesCommandOutput = await local.client.send(
      new ListFacesCommand({ CollectionId: collectionId, MaxResults: 4096, NextToken: token }),
    );
    for (const f of page.Faces ?? []) {
      existing.add(f.FaceId!);
      if (f.UserId) byUser.set(f.UserId, [...(byUser.get(f.UserId) ?? []), f.FaceId!]);
    }
    token = page.NextToken;
  } while (token);
  await expectRetiredFacesMatchService(stack, existing, byUser, options.type ?? shardType);
  for (const [userId, person] of people) {
    const where = `person ${userId} (${person.shard})`;
    expect(person.pending ?? [], `${where}: unsettled faces`).toEqual([]);
    if (person.userStatus === "MISSING" || person.userStatus === "DELETED") {
      expect(users.has(userId), `${where}: recorded as ${person.userStatus}`).toBe(false);
    } else {
      expect(users.has(userId), `${where}: the recorded user exists`).toBe(true);
    }
    const live = sorted(byUser.get(userId) ?? []);
    const recorded = sorted(Object.keys(person.faces));
    expect(
      recorded.filter((id) => !live.includes(id)),
      `${where}: recorded faces the service does not list`,
    ).toEqual([]);
    if (options.exclusive) expect(live, `${where}: exclusive: every face of the user`).toEqual(recorded);
    for (const [entry, photo] of Object.entries(person.photos)) {
      expect(existing.has(photo.faceId), `${where}: the face of ${entry} exists`).toBe(true);
    }
  }
  return people;
}
