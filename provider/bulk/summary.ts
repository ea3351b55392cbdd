// A roster's summary: the output a person reads after `pulumi up`, the same
// few lines at any number of people. Pure.

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

export function summarizeRoster(users: Readonly<Record<string, SummarizedPerson>>): RosterSummary {
  let faces = 0;
  const notActive: string[] = [];
  for (const [userId, person] of Object.entries(users)) {
    faces += person.faceIds.length;
    if (person.userStatus !== "ACTIVE") notActive.push(userId);
  }
  notActive.sort();
  const named = notActive.slice(0, namesShown).map((userId) => `${userId}: ${users[userId]!.userStatus}`);
  const more = notActive.length - named.length;
  return {
    people: Object.keys(users).length,
    faces,
    notActive: notActive.length,
    notActivePeople: more > 0 ? [...named, `… and ${more} more`] : named,
  };
}
