// A roster's summary: the output a person reads after `pulumi up`, the same
// few lines at any number of people. Each shard records its own part with its
// truth, so a roster adds up its shards' parts instead of reading every
// person on every run. Pure.

import { byCodeUnit } from "../order.js";
import type { PersonRecord } from "./model.js";

/** One person of a roster as its outputs see them. */
export interface SummarizedPerson {
  readonly faceIds: readonly string[];
  readonly userStatus: string;
}

export interface RosterSummary {
  /** People the roster records. */
  readonly people: number;
  /** Faces associated with them. */
  readonly faces: number;
  /** People whose user is not ACTIVE (not yet searchable, or MISSING after a refresh). */
  readonly notActive: number;
  /** The first of them by user ID with their status, e.g. "p017: UPDATING", then "… and 41 more". */
  readonly notActivePeople: readonly string[];
}

/** How many people not ACTIVE a summary names. */
export const namesShown = 5;

/** The summary of these counts and of `named`, the people not ACTIVE as "<userId>: <status>" (the first are kept). */
function summary(people: number, faces: number, notActive: number, named: string[]): RosterSummary {
  const shown = named.sort(byCodeUnit).slice(0, namesShown);
  const more = notActive - shown.length;
  return { people, faces, notActive, notActivePeople: more > 0 ? [...shown, `… and ${more} more`] : shown };
}

export function summarizeRoster(users: Readonly<Record<string, SummarizedPerson>>): RosterSummary {
  let faces = 0;
  const named: string[] = [];
  for (const [userId, person] of Object.entries(users)) {
    faces += person.faceIds.length;
    if (person.userStatus !== "ACTIVE") named.push(`${userId}: ${person.userStatus}`);
  }
  return summary(Object.keys(users).length, faces, named.length, named);
}

/** A recorded person as the roster's outputs show them: the faces associated and managed, sorted. */
export function shownPerson(record: PersonRecord): { faceIds: string[]; userStatus: string } {
  // Exclusive mode's observed faces are associated another way and about to go.
  const observed = new Set(record.observed ?? []);
  return {
    faceIds: Object.keys(record.faces)
      .filter((id) => !observed.has(id))
      .sort(),
    userStatus: record.userStatus,
  };
}

/** A shard's part of the summary, from its truth. */
export function summarizeRecords(roster: Readonly<Record<string, PersonRecord>>): RosterSummary {
  const users: Record<string, SummarizedPerson> = {};
  for (const [userId, record] of Object.entries(roster)) users[userId] = shownPerson(record);
  return summarizeRoster(users);
}

/**
 * The roster's summary from its shards' summaries: the counts add up, and
 * the first people not ACTIVE overall are among the first each shard names.
 */
export function mergeSummaries(parts: readonly RosterSummary[]): RosterSummary {
  let people = 0;
  let faces = 0;
  let notActive = 0;
  const named: string[] = [];
  for (const part of parts) {
    people += part.people;
    faces += part.faces;
    notActive += part.notActive;
    // A user ID has no space: "… and 3 more" names nobody.
    named.push(...part.notActivePeople.filter((line) => !line.startsWith("… and ")));
  }
  return summary(people, faces, notActive, named);
}
