import { expect } from "vitest";
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
): Promise<Map<string, AssociationOutputs & { declared: string[] }>> {
  const byName = new Map<string, AssociationOutputs & { declared: string[] }>();
  for (const r of await stack.resources(associationType)) {
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
  options: { allowUnsettled?: boolean } = {},
): Promise<void> {
  for (const [name, recorded] of await recordedAssociations(stack)) {
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
