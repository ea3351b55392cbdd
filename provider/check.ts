import {
  collectionIdRule,
  describe,
  identifierProblem,
  userIdRule,
  type IdentifierRule,
} from "./identifiers.js";
import { isUnknown } from "./unknown.js";

/** A check failure: the input that is wrong, and what to do about it. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** A resource's inputs as its check normalized them, and what failed. */
export interface Checked<Inputs> {
  readonly inputs: Inputs;
  readonly failures: CheckFailure[];
}

/**
 * Keys added to a resource's inputs by the engine (`__provider`) and by this
 * package's resource classes (`scope`: ./scope.ts; `sensitive`: ./secrets.ts; `secretImage`: ./face/model.ts),
 * never by a user: accepted, and not listed as inputs.
 */
const engineKeys = new Set(["__provider", "scope", "sensitive", "secretImage"]);

/**
 * Failures as the engine may show them when some inputs are secret. The engine
 * prints a property's value beside its failure, so a secret input's failure
 * becomes the resource's; `hide` replaces the secret values in every reason.
 */
export function withSecretsHidden(
  failures: readonly CheckFailure[],
  secretInputs: readonly string[],
  hide: (reason: string) => string,
): CheckFailure[] {
  return failures.map((f) => ({
    property: secretInputs.includes(f.property) ? "" : f.property,
    reason: hide(f.reason),
  }));
}

/** An input as the program gave it, if a string: a failed check leaves the checked value empty. */
export const givenString = (news: Record<string, unknown>, property: string): string | undefined =>
  typeof news[property] === "string" ? news[property] : undefined;

/** Collects failures while inputs are read one by one; unknown values pass. */
export class InputChecker {
  readonly failures: CheckFailure[] = [];

  constructor(private readonly news: Record<string, unknown>) {}

  /**
   * A failure of a nested field (`image.path`, `people.alice[0]`) is the
   * resource's: the engine shows a failure's property by looking it up among
   * the top-level inputs, and would print `value {<nil>}`. Its reason names it.
   */
  fail(property: string, reason: string): void {
    this.failures.push({ property: /[.[]/.test(property) ? "" : property, reason });
  }

  identifier(property: string, rule: IdentifierRule, fix: string): string | undefined {
    const value = this.news[property];
    if (isUnknown(value)) return value as string;
    const problem = identifierProblem(value, rule);
    if (problem) this.fail(property, `${property} ${problem}: ${fix}`);
    return problem ? undefined : (value as string);
  }

  /** The collection every resource names, with the fix its own message gives. */
  collectionId(fix: string): string | undefined {
    return this.identifier("collectionId", collectionIdRule, fix);
  }

  /** The user a User or an association names, with the fix its own message gives. */
  userId(fix: string): string | undefined {
    return this.identifier("userId", userIdRule, fix);
  }

  number(property: string, fallback: number, min: number, max: number, fix: string): number {
    const value = this.news[property];
    if (value === undefined || value === null) return fallback;
    if (isUnknown(value)) return value as unknown as number;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      this.fail(
        property,
        `${property} must be a number from ${min} to ${max}, got ${describe(value)}: ${fix}`,
      );
      return fallback;
    }
    return value;
  }

  boolean(property: string, fallback: boolean): boolean {
    const value = this.news[property];
    if (value === undefined || value === null) return fallback;
    if (isUnknown(value)) return value as unknown as boolean;
    if (typeof value !== "boolean") {
      this.fail(property, `${property} must be true or false, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** A boolean with no default: undefined when not given. */
  optionalBoolean(property: string): boolean | undefined {
    return this.news[property] == null ? undefined : this.boolean(property, false);
  }

  /**
   * Fails each key of `given` (the inputs, or one input's object) that is not
   * in `known`, naming the closest known key: a misspelt optional input would
   * otherwise be dropped without a word.
   */
  onlyKeys(known: readonly string[], given: unknown = this.news, prefix = ""): void {
    if (!given || typeof given !== "object" || Array.isArray(given)) return;
    for (const key of Object.keys(given)) {
      if (known.includes(key) || (given === this.news && engineKeys.has(key))) continue;
      const path = (field: string | undefined): string => (prefix ? `${prefix}.${field}` : `${field}`);
      this.fail(
        path(key),
        `'${path(key)}' is not ${prefix ? `a field of ${prefix}` : "an input"}: ` +
          `did you mean '${path(closest(key, known))}'? (${prefix || "the inputs"}: ${known.join(", ")}): ` +
          "rename or remove it",
      );
    }
  }

  string(property: string, fix: string): string | undefined {
    const value = this.news[property];
    if (isUnknown(value)) return value as string;
    if (typeof value !== "string" || value === "") {
      this.fail(property, `${property} must be a non-empty string, got ${describe(value)}: ${fix}`);
      return undefined;
    }
    return value;
  }
}

/** The candidate nearest to `key` by edit distance, ignoring case; the first on a tie. */
export function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
