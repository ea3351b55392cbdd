import type { PersonRecord } from "../bulk/model.js";

/**
 * People a bulk shard of this deployment records but no longer declares, with
 * what it records of them: its diff hands each one over here. A person moved
 * to another shard (another roster, or a new shard count) is forgotten by the
 * shard that had them; the shard that now declares them takes their record,
 * so that it manages the faces it finds, and retires the photos its
 * declaration dropped, instead of leaving them on the user, recorded nowhere.
 */

// Process-wide by design: one command's resources share what they know.
const handed = new Map<string, PersonRecord>();

const key = (collectionId: string, userId: string): string => `${collectionId}\u0000${userId}`;

export function handPersonOver(collectionId: string, userId: string, record: PersonRecord): void {
  handed.set(key(collectionId, userId), record);
}

/** The record a shard handed over for this person, once: the shard that takes it is its holder now. */
export function takeHandedPerson(collectionId: string, userId: string): PersonRecord | undefined {
  const record = handed.get(key(collectionId, userId));
  handed.delete(key(collectionId, userId));
  return record;
}

/** For tests: nobody handed over. */
export function resetHandedPeople(): void {
  handed.clear();
}
