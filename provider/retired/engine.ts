// What a RetiredFaces (a bulk roster's faces retired by its shards) does, for
// any host (../engine.ts); ../dynamic/retired-faces.ts serves it to the
// dynamic provider host. Planning is pure (./plan.ts).
import { randomUUID } from "node:crypto";
import { tracked } from "../runtime/activity.js";
import { client, configureFromStack, failClosed } from "../aws/configured.js";
import { collectionView } from "../aws/collection-view.js";
import { PartialFailure, type Props, type ResourceEngine } from "../engine.js";
import { recordDeletedFaces } from "../runtime/deleted-faces.js";
import { retirementNotComing, runStopping, startRetirement } from "../runtime/run-progress.js";
import { isUnknown } from "../unknown.js";
import { deleteRetired, describeNotDeleted, type NotDeletedFace } from "./deletion.js";
import type { RetiredFacesInputs, RetiredFacesState } from "./model.js";
import { deletedFaces, facesToDelete, releasedFaces } from "./plan.js";
import { checkRetiredFaces } from "./validate.js";

function notDeletedMessage(
  collectionId: string,
  due: number,
  failed: readonly NotDeletedFace[],
  retry = "the next `pulumi up` deletes them",
): string {
  return describeNotDeleted(
    `retired faces of collection '${collectionId}': ${failed.length} of the ${due} faces the roster's shards retired ` +
      "could not be deleted:",
    failed,
    `They stay in the collection, and the state records them as remaining: once the cause is fixed, ${retry}.`,
  );
}

/**
 * Deletes the faces of `given` that the state does not record as deleted,
 * and returns the new state. The run's last progress line waits for it.
 */
async function deleteDue(
  id: string,
  recorded: RetiredFacesState | undefined,
  declared: RetiredFacesInputs,
): Promise<RetiredFacesState> {
  const { collectionId, faces } = declared;
  const due = facesToDelete(recorded, faces);
  const progress = due.length > 0 ? startRetirement(collectionId, id, faces) : undefined;
  try {
    const { failed, released } = await deleteRetired(collectionId, due);
    const state: RetiredFacesState = {
      collectionId,
      faces,
      remaining: failed.map((f) => f.faceId),
      released: releasedFaces(recorded, faces, released),
    };
    recordDeletedFaces(collectionId, deletedFaces(state));
    if (failed.length > 0) {
      runStopping();
      throw new PartialFailure(notDeletedMessage(collectionId, due.length, failed), id, state);
    }
    return state;
  } finally {
    await progress?.finish();
  }
}

const implementation: ResourceEngine = tracked({
  async configure(config) {
    configureFromStack(config);
  },

  async check(_olds: Props, news: Props) {
    const { inputs, failures } = checkRetiredFaces(news);
    return { inputs: { ...inputs }, failures };
  },

  async diff(_id, olds: Props, news: Props) {
    const recorded = olds as unknown as RetiredFacesState;
    recordDeletedFaces(recorded.collectionId, deletedFaces(recorded));
    if (isUnknown(news["collectionId"]) || news["collectionId"] !== recorded.collectionId)
      return { changes: true, replaces: ["collectionId"], deleteBeforeReplace: true };
    if (isUnknown(news["faces"])) return { changes: true, replaces: [] };
    if (facesToDelete(recorded, news["faces"] as string[]).length === 0) {
      // A shard that handed faces over expects this deletion in the run's progress.
      retirementNotComing(recorded.collectionId, news["faces"] as string[]);
      return { changes: false, replaces: [] };
    }
    return { changes: true, replaces: [], detailedDiff: { faces: "update" } };
  },

  async create(inputs: Props) {
    const declared = inputs as unknown as RetiredFacesInputs;
    const id = `${declared.collectionId}/retired-faces-${randomUUID().slice(0, 8)}`;
    return { id, outs: await deleteDue(id, undefined, declared) };
  },

  async update(id, olds: Props, news: Props) {
    const recorded = olds as unknown as RetiredFacesState;
    return { outs: await deleteDue(id, recorded, news as unknown as RetiredFacesInputs) };
  },

  async read(id, props: Props) {
    const recorded = props as unknown as RetiredFacesState;
    if (recorded.remaining.length === 0) return { id, props };
    // Those left by a failed deletion: still there? (Gone with the collection, if it is.)
    const faces = await collectionView(client(), recorded.collectionId).collectionFaces([]);
    const remaining = recorded.remaining.filter((faceId) => faces?.has(faceId) ?? false);
    return { id, props: { ...props, remaining } };
  },

  async delete(_id, props: Props) {
    const recorded = props as unknown as RetiredFacesState;
    // The roster's shards, deleted after this, leave out what it deleted.
    recordDeletedFaces(recorded.collectionId, deletedFaces(recorded));
    if (recorded.remaining.length === 0) return;
    const { failed } = await deleteRetired(recorded.collectionId, recorded.remaining);
    if (failed.length > 0)
      throw new Error(
        notDeletedMessage(
          recorded.collectionId,
          recorded.remaining.length,
          failed,
          "`pulumi destroy` tries again",
        ),
      );
  },
});

// A configuration it cannot use fails every call, not only the first.
export const engine: ResourceEngine = failClosed(implementation);
