/**
 * The pure half of the import-file command: which reads a collection needs,
 * and the file `pulumi import --file` reads, from what the reads found.
 */
import { facePageSize } from "../aws/face-read-plan.js";
import {
  TYPES,
  type CollectionContents,
  type ImportFile,
  type ImportOptions,
  type ImportSpec,
  type ProviderReference,
} from "./model.js";
import { safeName, uniqueNames } from "./names.js";
import { byCodeUnit } from "../order.js";

export type FaceReads = "per-user" | "collection-scan";

/**
 * Listing each user's faces costs one ListFaces per user (a user holds at
 * most 100 faces, one page); listing the whole collection costs one per 4,096
 * faces, whoever holds them. The users are listed either way.
 */
export function faceReadCalls(users: number, faceCount: number): Record<FaceReads, number> {
  return {
    "per-user": users,
    "collection-scan": Math.max(1, Math.ceil(faceCount / facePageSize)),
  };
}

/** The fewer calls; the scan on a tie (one listing, one moment). */
export function chooseFaceReads(users: number, faceCount: number): FaceReads {
  const calls = faceReadCalls(users, faceCount);
  return calls["collection-scan"] <= calls["per-user"] ? "collection-scan" : "per-user";
}

/** The resources' names end so that a name of one kind never equals a name of another. */
export const NAME_SUFFIXES = { collection: "-collection", user: "-user", association: "-faces" } as const;

/**
 * The collection (unless left out), then each user by ID: its User, and its
 * UserFaceAssociation when it has faces. IDs are those the plugin reads:
 * `<collectionId>` and `<collectionId>/<userId>`.
 */
export function buildImportFile(contents: CollectionContents, options: ImportOptions): ImportFile {
  const { collectionId } = contents;
  const users = [...contents.users].sort((a, b) => byCodeUnit(a.userId, b.userId));
  const names = uniqueNames(users.map((u) => u.userId));
  const resources: ImportSpec[] = [];
  if (options.includeCollection) {
    resources.push({
      type: TYPES.collection,
      name: safeName(collectionId) + NAME_SUFFIXES.collection,
      id: collectionId,
    });
  }
  for (const { userId, faceIds } of users) {
    const base = names.get(userId)!;
    const id = `${collectionId}/${userId}`;
    resources.push({ type: TYPES.user, name: base + NAME_SUFFIXES.user, id });
    if (faceIds.length > 0) {
      resources.push({ type: TYPES.association, name: base + NAME_SUFFIXES.association, id });
    }
  }
  const { provider } = options;
  if (!provider) return { resources };
  const key = providerKey(provider, resources);
  return {
    nameTable: { [key]: provider.urn },
    resources: resources.map((r) => ({ ...r, provider: key })),
  };
}

/** The provider's name, or, if a resource has that name, one no resource name ends with. */
function providerKey(provider: ProviderReference, resources: readonly ImportSpec[]): string {
  return resources.some((r) => r.name === provider.name) ? `${provider.name}-provider` : provider.name;
}

const providerType = "pulumi:providers:rekognition-faces";

/**
 * `--provider <urn>` or `--provider <name>=<urn>` (the form `pulumi import
 * --provider` takes). The file can only refer to a provider by URN, so a name
 * alone is refused with where to find the URN.
 */
export function parseProviderReference(spec: string): ProviderReference {
  const named = !spec.startsWith("urn:") && spec.includes("=");
  const urn = named ? spec.slice(spec.indexOf("=") + 1) : spec;
  const find = "pulumi stack --show-urns lists it";
  if (!urn.startsWith("urn:pulumi:")) {
    throw new Error(
      `--provider must be a provider's URN (urn:pulumi:<stack>::<project>::${providerType}::<name>) ` +
        `or <name>=<URN>, got ${JSON.stringify(spec)}: ${find}`,
    );
  }
  const parts = urn.split("::");
  const type = parts.at(-2);
  const urnName = parts.at(-1);
  if (parts.length < 4 || type !== providerType || !urnName) {
    throw new Error(
      `--provider must be the URN of a rekognition-faces provider (type ${providerType}), ` +
        `got ${JSON.stringify(urn)}: ${find}`,
    );
  }
  const name = named ? spec.slice(0, spec.indexOf("=")) : safeName(urnName);
  if (name === "") throw new Error(`--provider ${JSON.stringify(spec)} has an empty name before '='`);
  return { name, urn };
}
