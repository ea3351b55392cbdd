// What `pulumi import` reads: from a resource's ID alone, the state it would
// record and the inputs that declare it. Reads only: an import never writes
// to the service. Any host calls these through its read (../engine.ts).
import { client } from "./aws/configured.js";
import { isNotFound } from "./aws/errors.js";
import * as rekognition from "./aws/rekognition.js";
import { defaults, faceIdsOf, faceSet, type AssociationState } from "./association/model.js";
import { collectionView } from "./aws/collection-view.js";
import type { Props, ReadResult, ResourceEngine } from "./engine.js";
import { factsOf } from "./face/indexing.js";
import { newLifetime } from "./idempotency.js";
import { notSensitive } from "./sealing.js";

/** The resources that can be imported, by the kind their ID names. */
export type ImportKind = "Collection" | "User" | "UserFaceAssociation" | "IndexedFace";

/** The ID each kind is imported by, as the README documents it. */
export const importIdFormats: Readonly<Record<ImportKind, string>> = {
  Collection: "<collectionId>",
  User: "<collectionId>/<userId>",
  UserFaceAssociation: "<collectionId>/<userId>",
  IndexedFace: "<collectionId>/<faceId>",
};

export class ImportIdError extends Error {
  constructor(kind: ImportKind, id: string) {
    super(`cannot import ${kind} '${id}': its ID is ${importIdFormats[kind]}`);
    this.name = "ImportIdError";
  }
}

/** `<collectionId>/<rest>`: user IDs may hold '/'-free text only, collection IDs never hold '/'. */
function splitId(kind: ImportKind, id: string): [string, string] {
  const slash = id.indexOf("/");
  if (slash <= 0 || slash === id.length - 1) throw new ImportIdError(kind, id);
  return [id.slice(0, slash), id.slice(slash + 1)];
}

const gone: ReadResult = { id: "", props: {} };

/** Imported things are adopted: destroy leaves them unless `deleteOnDestroy` says otherwise. */
const adopted = { adopt: true, origin: "adopted" } as const;

async function importCollection(engine: ResourceEngine, id: string): Promise<ReadResult> {
  if (id === "" || id.includes("/")) throw new ImportIdError("Collection", id);
  const read = await engine.read(id, { collectionId: id, tags: {}, ...adopted });
  if (read.id === "") return gone;
  const tags = (read.props as { tags?: Record<string, string> }).tags ?? {};
  const inputs: Props = { collectionId: id, adopt: true, ...(Object.keys(tags).length > 0 && { tags }) };
  return { ...read, inputs };
}

async function importUser(engine: ResourceEngine, id: string): Promise<ReadResult> {
  const [collectionId, userId] = splitId("User", id);
  const seed = { collectionId, userId, ...adopted, userStatus: "", lifetime: newLifetime() };
  const read = await engine.read(id, seed);
  if (read.id === "") return gone;
  return { ...read, inputs: { collectionId, userId, adopt: true } };
}

async function importAssociation(engine: ResourceEngine, id: string): Promise<ReadResult> {
  const [collectionId, userId] = splitId("UserFaceAssociation", id);
  const live = await collectionView(client(), collectionId).userFaces(userId);
  if (live === undefined) return gone;
  // An association declares at least one face: a user with none has nothing to import.
  if (live.length === 0)
    throw new Error(
      `user '${userId}' in collection '${collectionId}' holds no face: there is no association to import. ` +
        "Import the User alone, and declare its UserFaceAssociation once it has faces",
    );
  // Every face the user has now is managed from here on.
  const faces = faceSet(live);
  const seed: AssociationState = {
    collectionId,
    userId,
    faces,
    faceIds: faceIdsOf(faces),
    ...defaults,
    sensitive: notSensitive,
    userStatus: "",
    failedFaces: [],
    revision: 0,
    lifetime: newLifetime(),
  };
  const read = await engine.read(id, { ...seed });
  if (read.id === "") return gone;
  return { ...read, inputs: { collectionId, userId, faceIds: seed.faceIds } };
}

async function importFace(id: string): Promise<ReadResult> {
  const [collectionId, faceId] = splitId("IndexedFace", id);
  let face;
  try {
    const out = await rekognition.listFaces(client(), { CollectionId: collectionId, FaceIds: [faceId] });
    face = out.Faces?.find((f) => f.FaceId === faceId);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!face) return gone;
  // The photo it was indexed from is not recorded by the service: the
  // declaration names it, and it is taken on trust (../face/plan.ts).
  const externalImageId = face.ExternalImageId;
  const props = { collectionId, ...(externalImageId && { externalImageId }), ...factsOf(face) };
  return {
    id: faceId,
    props,
    inputs: { collectionId, ...(externalImageId && { externalImageId }) },
  };
}

/** Reads what an import of `kind` with `id` brings under management. */
export function importResource(kind: ImportKind, engine: ResourceEngine, id: string): Promise<ReadResult> {
  switch (kind) {
    case "Collection":
      return importCollection(engine, id);
    case "User":
      return importUser(engine, id);
    case "UserFaceAssociation":
      return importAssociation(engine, id);
    case "IndexedFace":
      return importFace(id);
  }
}
