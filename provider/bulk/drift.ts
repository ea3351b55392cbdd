// What a refresh found changed outside the roster, person by person, worded
// for the one line the shard prints: the diff the engine shows for a shard
// names no one (its detail is `roster`), so the line says who and what.
import type { PersonRecord } from "./model.js";

/** One person whose refreshed truth differs from the recorded one. */
export interface PersonDrift {
  readonly userId: string;
  /** What changed, in a few words each, e.g. "user deleted", "1 face disassociated". */
  readonly what: readonly string[];
}

/** How many people the line names; the rest are counted. */
export const driftNamed = 10;

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The people whose refreshed record differs from the recorded one, in the recorded order. */
export function driftOf(
  recorded: Readonly<Record<string, PersonRecord>>,
  refreshed: Readonly<Record<string, PersonRecord>>,
): PersonDrift[] {
  const drift: PersonDrift[] = [];
  for (const [userId, was] of Object.entries(recorded)) {
    const now = refreshed[userId];
    if (!now) {
      drift.push({ userId, what: ["user and faces deleted"] });
      continue;
    }
    const what: string[] = [];
    const userGone = now.userStatus === "MISSING" && was.userStatus !== "MISSING";
    if (userGone) what.push("user deleted");
    const deleted = new Set(
      Object.entries(was.photos)
        .filter(([entry]) => !now.photos[entry])
        .map(([, photo]) => photo.faceId),
    );
    if (deleted.size > 0) what.push(count(deleted.size, "photo's face deleted", "photos' faces deleted"));
    // A deleted user or face takes its associations with it: that is one change, not two.
    const disassociated = Object.keys(was.faces).filter(
      (faceId) => !now.faces[faceId] && !deleted.has(faceId),
    ).length;
    if (disassociated > 0 && !userGone)
      what.push(count(disassociated, "face disassociated", "faces disassociated"));
    const seen = new Set(was.observed ?? []);
    const outside = (now.observed ?? []).filter((faceId) => !seen.has(faceId)).length;
    if (outside > 0)
      what.push(count(outside, "face associated outside the roster", "faces associated outside the roster"));
    if (what.length > 0) drift.push({ userId, what });
  }
  return drift;
}

/** The line for a shard whose people drifted; undefined when none did. */
export function driftLine(
  collectionId: string,
  shard: string,
  drift: readonly PersonDrift[],
): string | undefined {
  if (drift.length === 0) return undefined;
  const named = drift.slice(0, driftNamed).map((d) => `${d.userId} (${d.what.join(", ")})`);
  const more = drift.length - named.length;
  return (
    `roster shard ${shard} of collection '${collectionId}': the service differs from the state for ` +
    `${count(drift.length, "person", "people")}: ${named.join(", ")}${more > 0 ? `, and ${more} more` : ""}; ` +
    "the next `pulumi up` restores what they declare"
  );
}
