/** Rekognition's identifier rules, as the API reference states them. */
export interface IdentifierRule {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  readonly allowed: string;
}

export const collectionIdRule: IdentifierRule = {
  label: "collection ID",
  min: 1,
  max: 255,
  pattern: /^[a-zA-Z0-9_.-]+$/,
  allowed: "letters, digits, '_', '.' and '-'",
};

export const userIdRule: IdentifierRule = {
  label: "user ID",
  min: 1,
  max: 128,
  pattern: /^[a-zA-Z0-9_.:-]+$/,
  allowed: "letters, digits, '_', '.', ':' and '-'",
};

/** The characters of a user ID, up to 255 of them. */
export const externalImageIdRule: IdentifierRule = { ...userIdRule, label: "external image ID", max: 255 };

export const faceIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Why `value` breaks `rule`, or undefined when it is valid. */
export function identifierProblem(value: unknown, rule: IdentifierRule): string | undefined {
  if (typeof value !== "string") return `must be a string (the ${rule.label}), got ${describe(value)}`;
  if (value.length < rule.min || value.length > rule.max) {
    return `must be ${rule.min}–${rule.max} characters long, got ${value.length}`;
  }
  if (!rule.pattern.test(value)) return `'${value}' may contain only ${rule.allowed}`;
  return undefined;
}

/** A value as a message names it: a string quoted, a number or boolean as itself, anything else by its kind. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value === "object" ? "an object" : typeof value;
}
