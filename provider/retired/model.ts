/**
 * The faces a bulk roster's shards retired (the faces of removed or replaced
 * photos, no longer associated with anyone), deleted together once every
 * shard of the run is done: one DeleteFaces for each 4,096 of them, however
 * the engine schedules the shards.
 */
export interface RetiredFacesInputs {
  readonly collectionId: string;
  /** Every face the roster's shards hand over, sorted, each once. */
  readonly faces: readonly string[];
}

export interface RetiredFacesState {
  readonly collectionId: string;
  /** The faces it was given by its last create or update: deleted, unless `remaining` or `released`. */
  readonly faces: readonly string[];
  /** Those of `faces` still in the collection: a deletion failed, and the next `up` tries again. */
  readonly remaining: readonly string[];
  /**
   * Those of `faces` that a user or a declaration of this deployment took
   * since they were handed over: left to it, never deleted here.
   */
  readonly released?: readonly string[];
}
