import { closest, ConfigurationError, isRecord, parseJson, stringsAt } from "./config-values.js";

/** One role to assume, in @pulumi/aws's terms (`aws:assumeRoles[i]`). */
export interface AssumeRoleSettings {
  readonly roleArn: string;
  readonly sessionName?: string;
  /** Secret: never logged, never part of a cache key in clear. */
  readonly externalId?: string;
  readonly durationSeconds?: number;
  readonly policy?: string;
  readonly policyArns?: string[];
  readonly tags?: Record<string, string>;
  readonly transitiveTagKeys?: string[];
  readonly sourceIdentity?: string;
}

const FIELDS = [
  "roleArn",
  "sessionName",
  "externalId",
  "duration",
  "policy",
  "policyArns",
  "tags",
  "transitiveTagKeys",
  "sourceIdentity",
];
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const MIN_SECONDS = 15 * 60;
const MAX_SECONDS = 12 * 3600;

/**
 * Reads `aws:assumeRoles` (a list, assumed in order, each with the previous
 * one's credentials) and the older `aws:assumeRole` (one object). Setting both
 * is ambiguous, so it is an error.
 */
export function readAssumeRoles(list: string | undefined, single: string | undefined): AssumeRoleSettings[] {
  const hasList = list !== undefined && list !== "";
  const hasSingle = single !== undefined && single !== "";
  if (hasList && hasSingle) {
    throw new ConfigurationError(
      "aws:assumeRoles and aws:assumeRole are both set: keep aws:assumeRoles (a list, assumed in order) and remove aws:assumeRole",
    );
  }
  if (hasSingle) {
    const parsed = parseJson(
      "aws:assumeRole",
      single,
      `an object such as {"roleArn": "arn:aws:iam::123456789012:role/deploy"}`,
      true,
    );
    return [assumeRole("aws:assumeRole", parsed)];
  }
  if (!hasList) return [];
  const parsed = parseJson(
    "aws:assumeRoles",
    list,
    `a list such as [{"roleArn": "arn:aws:iam::123456789012:role/deploy"}]`,
    true,
  );
  if (!Array.isArray(parsed)) {
    throw new ConfigurationError(
      `aws:assumeRoles must be a list such as [{"roleArn": "arn:aws:iam::123456789012:role/deploy"}]; for a single object use aws:assumeRole`,
    );
  }
  return parsed.map((entry, i) => assumeRole(`aws:assumeRoles[${i}]`, entry));
}

function assumeRole(path: string, value: unknown): AssumeRoleSettings {
  if (!isRecord(value)) {
    throw new ConfigurationError(
      `${path} must be an object such as {"roleArn": "arn:aws:iam::123456789012:role/deploy"}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!FIELDS.includes(key)) {
      const meant = closest(key, FIELDS);
      throw new ConfigurationError(
        `${path} has an unknown field "${key}"${meant ? `: did you mean "${meant}"?` : `; the fields are ${FIELDS.join(", ")}`}`,
      );
    }
  }
  const roleArn = value["roleArn"];
  if (typeof roleArn !== "string" || !ROLE_ARN.test(roleArn)) {
    throw new ConfigurationError(
      `${path}.roleArn must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy, got ${JSON.stringify(roleArn)}`,
    );
  }
  const text = (field: string): string | undefined => {
    const v = value[field];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") {
      // externalId is secret: say what is wrong without echoing it.
      const shown = field === "externalId" ? `a ${typeof v}` : JSON.stringify(v);
      throw new ConfigurationError(`${path}.${field} must be a string, got ${shown}`);
    }
    return v;
  };
  const sessionName = text("sessionName");
  if (sessionName !== undefined && !/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new ConfigurationError(
      `${path}.sessionName must be 2–64 of letters, digits and +=,.@_-, got ${JSON.stringify(sessionName)}`,
    );
  }
  const duration = text("duration");
  const externalId = text("externalId");
  const policy = text("policy");
  const sourceIdentity = text("sourceIdentity");
  const list = (field: string) =>
    value[field] == null ? undefined : stringsAt(`${path}.${field}`, value[field]);
  const policyArns = list("policyArns");
  const transitiveTagKeys = list("transitiveTagKeys");
  const tags = value["tags"] == null ? undefined : tagMap(`${path}.tags`, value["tags"]);
  return {
    roleArn,
    ...(sessionName !== undefined && { sessionName }),
    ...(externalId !== undefined && { externalId }),
    ...(duration !== undefined && { durationSeconds: durationSeconds(`${path}.duration`, duration) }),
    ...(policy !== undefined && { policy }),
    ...(policyArns && { policyArns }),
    ...(tags && { tags }),
    ...(transitiveTagKeys && { transitiveTagKeys }),
    ...(sourceIdentity !== undefined && { sourceIdentity }),
  };
}

function tagMap(path: string, value: unknown): Record<string, string> {
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw new ConfigurationError(
      `${path} must be a map of strings such as {"team": "faces"}, got ${JSON.stringify(value)}`,
    );
  }
  return value as Record<string, string>;
}

/** A Go duration ("1h", "15m", "1h30m", "900s"), as @pulumi/aws takes it, in whole seconds. */
export function durationSeconds(path: string, text: string): number {
  const fix = `use a duration between 15m and 12h such as "1h" or "90m"`;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new ConfigurationError(`${path} is not a duration: ${JSON.stringify(text)}: ${fix}`);
  }
  const seconds = Math.floor(parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit!]!, 0));
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new ConfigurationError(`${path} is ${JSON.stringify(text)} (${seconds}s): ${fix}`);
  }
  return seconds;
}
