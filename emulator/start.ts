import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EmulatorControl } from "./control/client.js";
import { ControlPlane } from "./control/plane.js";
import { CONTROL_PREFIX, handleControlRequest } from "./control/routes.js";
import { parseQuotaConfig } from "./control/quota.js";
import type { FaultConfig, QuotaConfig } from "./control/types.js";
import { createFaceModel, storedVectorMismatch, type FaceModel, type FaceModelKind } from "./model/index.js";
import { OPERATIONS, type OperationContext } from "./operations/index.js";
import { loadTokenKey, withTokenKey } from "./operations/pagination.js";
import { createHttpServer } from "./protocol/http.js";
import { createProtocolHandler } from "./protocol/server.js";
import type { Credentials } from "./protocol/signature.js";
import { s3FolderReader } from "./s3-folders.js";
import { createS3ListHandler, isS3Request } from "./s3-list.js";
import { createStsHandler, isStsRequest, type StsOptions } from "./sts/server.js";
import { Store } from "./store/store.js";

/**
 * The key pair the emulator accepts unless told otherwise. Not a secret: it only
 * opens a local emulator. (Not frozen: the AWS SDK annotates credential objects.)
 */
export const DEFAULT_CREDENTIALS: Readonly<Credentials> = {
  accessKeyId: "AKIDLOCAL",
  secretAccessKey: "rekognition-local-secret",
};

export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_ACCOUNT_ID = "123456789012";

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Keep state here across restarts; in memory when omitted. */
  dataDir?: string;
  /** With dataDir: fold the journal into a new snapshot every this many writes (default 20000). */
  compactEvery?: number;
  /** How long a ClientRequestToken is remembered after its call (default 24 hours). */
  tokenTtlMs?: number;
  /** Accepted key pairs (default DEFAULT_CREDENTIALS). */
  credentials?: Credentials | Credentials[];
  /** Verify SigV4 signatures (default true). */
  verifySignatures?: boolean;
  /** How long a user reports UPDATING after an association change (default 0). */
  updatingWindowMs?: number;
  faults?: FaultConfig;
  quota?: QuotaConfig;
  /** S3 buckets served from local folders: `{ bucket: directory }`, read by IndexFaces and listed by ListObjectsV2. */
  s3Buckets?: Record<string, string>;
  /** Print one line per request (or pass a function to receive the lines). */
  log?: boolean | ((line: string) => void);
  /** Region reported, and used in ARNs when signatures are not verified (default us-east-1). */
  region?: string;
  /** The 12-digit account id in collection ARNs. */
  accountId?: string;
  /** STS (AssumeRole, GetCallerIdentity): key pairs only STS accepts, and the roles that may be assumed. */
  sts?: Pick<StsOptions, "callerCredentials" | "roles">;
  /**
   * The face model: `synthetic` (the default here: fast, for test suites and
   * generated portraits) or `real` (face-api on TensorFlow.js, for real photos; its
   * packages must be installed). The command line defaults to `real`.
   */
  faceModel?: FaceModelKind;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:4599 */
  endpoint: string;
  port: number;
  region: string;
  credentials: Credentials;
  control: EmulatorControl;
  /** Direct access to the state, for seeding large data sets without HTTP. */
  store: Store;
  /** The face model in use. */
  faceModel: FaceModel;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** Starts a local Rekognition-compatible endpoint. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? "127.0.0.1";
  // Before anything is opened: a quota it cannot apply fails here.
  const quota = parseQuotaConfig(opts.quota);
  const credentials = opts.credentials === undefined ? [DEFAULT_CREDENTIALS] : [opts.credentials].flat();
  const primary = credentials[0] ?? DEFAULT_CREDENTIALS;
  // Before anything is opened: a missing model package fails here, naming the install command.
  const faceModel = createFaceModel(opts.faceModel ?? "synthetic");
  const region = opts.region ?? DEFAULT_REGION;
  const store = Store.open({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.compactEvery ? { compactEvery: opts.compactEvery } : {}),
    ...(opts.tokenTtlMs !== undefined ? { tokenTtlMs: opts.tokenTtlMs } : {}),
  });
  const mismatch = storedVectorMismatch(store.collections.values(), faceModel.kind);
  if (mismatch) {
    store.close();
    await faceModel.close();
    throw new Error(`${opts.dataDir}: ${mismatch}`);
  }
  const plane = new ControlPlane({
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(quota ? { quota } : {}),
    ...(opts.log !== undefined ? { log: opts.log } : {}),
  });
  const readS3Object = s3FolderReader(opts.s3Buckets ?? {});
  const tokenKey = loadTokenKey(opts.dataDir);
  const handler = createProtocolHandler({
    service: {
      targetPrefix: "RekognitionService",
      signingName: "rekognition",
      hasOperation: (name) => Object.hasOwn(OPERATIONS, name),
      invoke: (operation, input, call) => {
        const ctx: OperationContext = {
          store,
          region: call.region,
          accountId: opts.accountId ?? DEFAULT_ACCOUNT_ID,
          now: Date.now,
          updatingWindowMs: opts.updatingWindowMs ?? 0,
          readS3Object,
          faceModel,
          faceReasonOverride: (faceId) => plane.faceReasons[faceId],
        };
        return withTokenKey(tokenKey, () => OPERATIONS[operation]!(ctx, input));
      },
    },
    credentials,
    verifySignatures: opts.verifySignatures ?? true,
    defaultRegion: region,
    observer: plane,
  });

  const sts = createStsHandler({
    ...opts.sts,
    credentials,
    accountId: opts.accountId ?? DEFAULT_ACCOUNT_ID,
    verifySignatures: opts.verifySignatures ?? true,
    observer: plane,
  });

  const s3 = createS3ListHandler({
    buckets: opts.s3Buckets ?? {},
    credentials,
    verifySignatures: opts.verifySignatures ?? true,
    observer: plane,
  });

  const server = createHttpServer((req, res) => {
    const work = req.url?.startsWith(CONTROL_PREFIX)
      ? handleControlRequest(plane, req, res)
      : isStsRequest(req)
        ? sts(req, res)
        : isS3Request(req)
          ? s3(req, res)
          : handler(req, res);
    work.catch((err: unknown) => {
      console.error("rekognition-local: unexpected error:", err);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  try {
    await listen(server, opts.port ?? 0, host);
  } catch (err) {
    store.close();
    await faceModel.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  // A wildcard bind is reached through loopback.
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  const endpoint = `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    port,
    region,
    credentials: { accessKeyId: primary.accessKeyId, secretAccessKey: primary.secretAccessKey },
    control: new EmulatorControl(endpoint),
    store,
    faceModel,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
        .then(() => store.close())
        .then(() => faceModel.close())),
  };
}
