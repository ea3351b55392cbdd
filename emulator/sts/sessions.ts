import { createHash, randomBytes } from "node:crypto";
import type { Credentials } from "../protocol/signature.js";

/** Who signed a request, as GetCallerIdentity reports it. */
export interface Identity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

/** Temporary credentials issued by AssumeRole, and the role session they stand for. */
export interface RoleSession extends Identity {
  readonly credentials: Required<Credentials>;
  readonly expiration: Date;
  readonly roleArn: string;
  readonly sessionName: string;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const keyId = (prefix: string) =>
  prefix + Array.from(randomBytes(16), (b) => ALPHABET[b % ALPHABET.length]).join("");

/**
 * The STS side of the emulator's identities. Long-term key pairs belong to a
 * user of the emulator's account; each AssumeRole issues a key pair with a
 * session token, which is appended to `accepted` so that Rekognition (and STS,
 * for a chained role) accept it, with that token only.
 */
export class Sessions {
  private readonly byKey = new Map<string, RoleSession>();

  constructor(
    private readonly accepted: Credentials[],
    readonly accountId: string,
  ) {}

  /** The identity behind an access key that verified. */
  identity(accessKeyId: string): Identity {
    const session = this.byKey.get(accessKeyId);
    if (session) return session;
    // A stable, fake unique ID per long-term key, shaped like IAM's.
    const digest = createHash("sha256").update(accessKeyId).digest("hex").slice(0, 17).toUpperCase();
    return {
      account: this.accountId,
      arn: `arn:aws:iam::${this.accountId}:user/rekognition-local`,
      userId: `AIDA${digest}`,
    };
  }

  issue(roleArn: string, sessionName: string, durationSeconds: number, now = new Date()): RoleSession {
    const [, , , , account = this.accountId, resource = "role/unknown"] = roleArn.split(":");
    const roleName = resource.split("/").pop()!;
    const expiration = new Date(now.getTime() + durationSeconds * 1000);
    const session: RoleSession = {
      account,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
      userId: `${keyId("AROA")}:${sessionName}`,
      roleArn,
      sessionName,
      // The verifiers accept this key only with this token, and only until it expires.
      credentials: {
        accessKeyId: keyId("ASIA"),
        secretAccessKey: randomBytes(30).toString("base64"),
        sessionToken: randomBytes(96).toString("base64"),
        expiration,
      },
      expiration,
    };
    this.byKey.set(session.credentials.accessKeyId, session);
    this.accepted.push(session.credentials);
    return session;
  }

  /** Every session issued so far, oldest first. */
  issued(): RoleSession[] {
    return [...this.byKey.values()];
  }
}
