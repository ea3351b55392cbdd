import { ServiceError } from "../protocol/errors.js";
import { accessDenied, validationError } from "./errors.js";
import type { Identity, Sessions } from "./sessions.js";
import type { XmlFields } from "./xml.js";

/** A role the emulator's STS lets callers assume, and what it demands of them. */
export interface RolePolicy {
  /** AssumeRole must pass exactly this ExternalId. */
  externalId?: string;
}

export interface StsContext {
  readonly sessions: Sessions;
  /** Roles that may be assumed; when undefined, any well-formed role ARN. */
  readonly roles: Readonly<Record<string, RolePolicy>> | undefined;
  readonly caller: Identity;
}

type Operation = (ctx: StsContext, params: URLSearchParams) => XmlFields;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
// AWS caps a session assumed with another role session's credentials at one hour.
const CHAINED_MAX_SECONDS = 3600;

function getCallerIdentity(ctx: StsContext): XmlFields {
  const { caller } = ctx;
  return { UserId: caller.userId, Account: caller.account, Arn: caller.arn };
}

function required(params: URLSearchParams, name: string, member: string): string {
  const value = params.get(name);
  if (value === null)
    throw validationError(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function assumeRole(ctx: StsContext, params: URLSearchParams): XmlFields {
  const roleArn = required(params, "RoleArn", "roleArn");
  const sessionName = required(params, "RoleSessionName", "roleSessionName");
  if (!ROLE_ARN.test(roleArn)) throw new ServiceError("ValidationError", `${roleArn} is invalid`, 400);
  if (!SESSION_NAME.test(sessionName)) {
    throw validationError(
      `Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length 2-64`,
    );
  }
  const duration = Number(params.get("DurationSeconds") ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw validationError(
      `Value '${params.get("DurationSeconds")}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  const chained = ctx.caller.arn.includes(":assumed-role/");
  if (chained && duration > CHAINED_MAX_SECONDS) {
    throw new ServiceError(
      "ValidationError",
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      400,
    );
  }
  const externalId = params.get("ExternalId");
  if (externalId !== null && !EXTERNAL_ID.test(externalId)) {
    throw validationError(
      "Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]* and have length 2-1224",
    );
  }
  const tagCount = [...params.keys()].filter((k) => /^Tags\.member\.\d+\.Key$/.test(k)).length;
  if (tagCount > 50) {
    throw validationError(
      `Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  }
  if (ctx.roles) {
    const policy = ctx.roles[roleArn];
    if (!policy || (policy.externalId !== undefined && policy.externalId !== externalId)) {
      throw accessDenied(
        `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
  }
  const session = ctx.sessions.issue(roleArn, sessionName, duration);
  return {
    Credentials: {
      AccessKeyId: session.credentials.accessKeyId,
      SecretAccessKey: session.credentials.secretAccessKey,
      SessionToken: session.credentials.sessionToken,
      Expiration: session.expiration.toISOString(),
    },
    AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
    PackedPolicySize: tagCount > 0 || params.has("Policy") ? 6 : undefined,
    SourceIdentity: params.get("SourceIdentity") ?? undefined,
  };
}

export const STS_OPERATIONS: Readonly<Record<string, Operation>> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};
