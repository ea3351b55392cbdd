import { ServiceError } from "../protocol/errors.js";

/**
 * Input validation in the service's words: every failure is an
 * InvalidParameterException whose message names the member at fault.
 */

export type Input = Record<string, unknown>;

export const PATTERNS = {
  collectionId: /^[a-zA-Z0-9_.-]+$/,
  userId: /^[a-zA-Z0-9_.:-]+$/,
  faceId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  externalImageId: /^[a-zA-Z0-9_.:-]+$/,
  clientRequestToken: /^[a-zA-Z0-9-_]+$/,
} as const;

export function invalid(member: string, value: unknown, constraint: string): ServiceError {
  const shown =
    value === undefined || value === null
      ? "null"
      : `'${(typeof value === "string" ? value : JSON.stringify(value)).slice(0, 100)}'`;
  return new ServiceError(
    "InvalidParameterException",
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: Member must ${constraint}`,
  );
}

interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

function checkString(member: string, value: unknown, rule: StringRule): string {
  if (typeof value !== "string") throw invalid(member, value, "be a string");
  if (rule.min !== undefined && value.length < rule.min)
    throw invalid(member, value, `have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && value.length > rule.max)
    throw invalid(member, value, `have length less than or equal to ${rule.max}`);
  if (rule.pattern && !rule.pattern.test(value))
    throw invalid(
      member,
      value,
      `satisfy regular expression pattern: ${rule.pattern.source.replace(/^\^|\$$/g, "")}`,
    );
  return value;
}

export function requiredString(input: Input, member: string, rule: StringRule = {}, path = member): string {
  const value = input[member];
  if (value === undefined || value === null) throw invalid(path, value, "not be null");
  return checkString(path, value, rule);
}

export function optionalString(
  input: Input,
  member: string,
  rule: StringRule = {},
  path = member,
): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  return checkString(path, value, rule);
}

export function optionalNumber(
  input: Input,
  member: string,
  rule: { min: number; max?: number; integer?: boolean },
): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalid(member, value, "be a number");
  if (rule.integer && !Number.isInteger(value)) throw invalid(member, value, "be an integer");
  if (value < rule.min) throw invalid(member, value, `have value greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && value > rule.max)
    throw invalid(member, value, `have value less than or equal to ${rule.max}`);
  return value;
}

export function stringList(
  input: Input,
  member: string,
  rule: { required: boolean; min: number; max: number; item: StringRule },
): string[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    if (rule.required) throw invalid(member, value, "not be null");
    return undefined;
  }
  if (!Array.isArray(value)) throw invalid(member, value, "be a list of strings");
  if (value.length < rule.min)
    throw invalid(member, value, `have length greater than or equal to ${rule.min}`);
  if (value.length > rule.max)
    throw invalid(member, `[${value.length} items]`, `have length less than or equal to ${rule.max}`);
  return value.map((item, i) => checkString(`${member}.${i + 1}`, item, rule.item));
}

export function optionalObject(input: Input, member: string): Input | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalid(member, value, "be an object");
  return value as Input;
}

export function requiredObject(input: Input, member: string): Input {
  const value = optionalObject(input, member);
  if (!value) throw invalid(member, undefined, "not be null");
  return value;
}

export function optionalEnum<T extends string>(
  input: Input,
  member: string,
  allowed: readonly T[],
): T | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw invalid(member, value, `satisfy enum value set: [${allowed.join(", ")}]`);
  }
  return value as T;
}

/** Rekognition's tag limits (TagResource, CreateCollection). */
export const TAG_LIMITS = { count: 200, keyLength: 128, valueLength: 256 } as const;
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const tagKeyRule: StringRule = { min: 1, max: TAG_LIMITS.keyLength, pattern: TAG_KEY };

/** A map of tags: at most 200, keys 1–128 and values 0–256 characters of the documented sets. */
export function tagMap(input: Input, member: string, required: boolean): Record<string, string> | undefined {
  const value = required ? requiredObject(input, member) : optionalObject(input, member);
  if (!value) return undefined;
  const entries = Object.entries(value);
  if (entries.length > TAG_LIMITS.count)
    throw invalid(member, `[${entries.length} tags]`, `have at most ${TAG_LIMITS.count} entries`);
  for (const [key, tagValue] of entries) {
    checkString(`${member}.key`, key, tagKeyRule);
    checkString(`${member}.${key}`, tagValue, { max: TAG_LIMITS.valueLength, pattern: TAG_VALUE });
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A list of tag keys (UntagResource): at most 200. */
export function tagKeys(input: Input, member: string): string[] {
  return stringList(input, member, { required: true, min: 0, max: TAG_LIMITS.count, item: tagKeyRule })!;
}

// Common members.
export const collectionId = (input: Input) =>
  requiredString(input, "CollectionId", { min: 1, max: 255, pattern: PATTERNS.collectionId });
export const requiredUserId = (input: Input) =>
  requiredString(input, "UserId", { min: 1, max: 128, pattern: PATTERNS.userId });
export const optionalUserId = (input: Input) =>
  optionalString(input, "UserId", { min: 1, max: 128, pattern: PATTERNS.userId });
export const clientRequestToken = (input: Input) =>
  optionalString(input, "ClientRequestToken", { min: 1, max: 64, pattern: PATTERNS.clientRequestToken });
export const faceIdRule: StringRule = { min: 36, max: 36, pattern: PATTERNS.faceId };
// The model's PaginationToken: at most 255 characters, which every token issued here fits.
export const nextToken = (input: Input) => optionalString(input, "NextToken", { max: 255 });
export const resourceArn = (input: Input) => requiredString(input, "ResourceArn", { min: 20, max: 2048 });
