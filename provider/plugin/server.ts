// The provider protocol, served to the Pulumi engine by a plugin process.
// @pulumi/pulumi's provider server runs the process and constructs the
// FaceRoster component; the handlers here replace its configuration and
// resource methods, which need what its Provider interface does not carry
// (the provider's configuration, old inputs, secrets as they were declared).
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as provTypes from "@pulumi/pulumi/proto/provider_pb";
import { main, type Provider } from "@pulumi/pulumi/provider";
import { PartialFailure, type DetailedDiff, type Props } from "../engine.js";
import { importResource } from "../imports.js";
import { checkConfig, inputsFromVariables, pluginConfig, pluginWording } from "./config.js";
import { comparedOlds, resourceOf, servedResources, typeOfUrn, withHostInputs } from "./resources.js";
import { revealProps, sealKeys } from "./wire.js";

// The server's own copies of gRPC and the protocol's messages: a second copy
// would not be the one its server was built with.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/provider"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
const structproto = sdkRequire("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
const anyproto = sdkRequire(
  "google-protobuf/google/protobuf/any_pb",
) as typeof import("google-protobuf/google/protobuf/any_pb");
const emptyproto = sdkRequire(
  "google-protobuf/google/protobuf/empty_pb",
) as typeof import("google-protobuf/google/protobuf/empty_pb");
const provproto = sdkRequire("../proto/provider_pb") as typeof provTypes;
const statusproto = sdkRequire("../proto/status_pb") as typeof import("@pulumi/pulumi/proto/status_pb");

type Callback<T> = (
  error: grpcTypes.ServiceError | Error | null,
  value?: T | null,
  trailer?: grpcTypes.Metadata,
) => void;
type Handler<Req, Res> = (call: { request: Req }, callback: Callback<Res>) => void;

const toStruct = (props: unknown) =>
  structproto.Struct.fromJavaScript((props ?? {}) as Record<string, never>);
const fromStruct = (struct: structTypes.Struct | undefined): Props => struct?.toJavaScript() ?? {};

/** What the plugin knows once configured. */
interface Configured {
  readonly identity?: string;
}

// One plugin process serves one provider instance: Configure sets this once.
let configured: Configured = {};

/** A handler that answers with its result, or with its error's message (no stack trace). */
function handle<Req, Res>(run: (request: Req) => Promise<Res>): Handler<Req, Res> {
  return (call, callback) => {
    run(call.request).then(
      (response) => callback(null, response),
      (err: unknown) => callback(asGrpcError(err)),
    );
  };
}

/** An error's message in the plugin's own keys (`rekognition-faces:region`, not `aws:region`). */
function messageOf(err: unknown): string {
  return pluginWording(err instanceof Error ? err.message : String(err));
}

/**
 * A failure as the engine reads it. A PartialFailure carries the resource's
 * true state in ErrorResourceInitFailed, which the engine records before it
 * fails the step, as it does for the dynamic provider.
 */
function asGrpcError(err: unknown): grpcTypes.ServiceError {
  const message = messageOf(err);
  const metadata = new grpc.Metadata();
  if (err instanceof PartialFailure) {
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(err.id);
    detail.setProperties(toStruct(err.state));
    detail.setReasonsList([...err.reasons]);
    const packed = new anyproto.Any();
    packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(packed);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata });
}

async function configure(request: provTypes.ConfigureRequest): Promise<provTypes.ConfigureResponse> {
  const args = request.getArgs();
  const inputs = args ? fromStruct(args) : inputsFromVariables(new Map(request.getVariablesMap().entries()));
  const config = pluginConfig(inputs);
  for (const resource of servedResources()) await resource.engine.configure(config);
  configured = { ...(config.identity && { identity: config.identity }) };
  const response = new provproto.ConfigureResponse();
  response.setAcceptsecrets(true);
  response.setAcceptresources(false);
  response.setSupportspreview(false);
  return response;
}

async function checkProviderConfig(request: provTypes.CheckRequest): Promise<provTypes.CheckResponse> {
  const checked = checkConfig(fromStruct(request.getOlds()), fromStruct(request.getNews()));
  return checkResponse(checked.inputs, checked.failures);
}

function checkResponse(inputs: Props, failures: readonly { property: string; reason: string }[]) {
  const response = new provproto.CheckResponse();
  response.setInputs(toStruct(inputs));
  response.setFailuresList(
    failures.map((failure) => {
      const out = new provproto.CheckFailure();
      out.setProperty(failure.property);
      out.setReason(failure.reason);
      return out;
    }),
  );
  return response;
}

/** A provider's settings change in place: never a replacement, which would replace every resource. */
async function diffProviderConfig(request: provTypes.DiffRequest): Promise<provTypes.DiffResponse> {
  const olds = fromStruct(request.getOldInputs() ?? request.getOlds());
  const news = fromStruct(request.getNews());
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  const changed = [...keys].filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
  const response = new provproto.DiffResponse();
  response.setChanges(
    changed.length > 0
      ? provproto.DiffResponse.DiffChanges.DIFF_SOME
      : provproto.DiffResponse.DiffChanges.DIFF_NONE,
  );
  response.setDiffsList(changed);
  return response;
}

async function check(request: provTypes.CheckRequest): Promise<provTypes.CheckResponse> {
  const resource = resourceOf(request.getUrn());
  const olds = revealProps(fromStruct(request.getOlds())).plain;
  const news = revealProps(fromStruct(request.getNews()));
  const declared = withHostInputs(resource, olds, news.plain, news.secretKeys, configured.identity);
  const result = await resource.engine.check(olds, declared);
  return checkResponse(sealKeys(result.inputs, news.secretKeys), result.failures);
}

async function diff(request: provTypes.DiffRequest): Promise<provTypes.DiffResponse> {
  const resource = resourceOf(request.getUrn());
  const olds = revealProps(fromStruct(request.getOlds())).plain;
  const oldInputs = revealProps(fromStruct(request.getOldInputs())).plain;
  const news = revealProps(fromStruct(request.getNews())).plain;
  const result = await resource.engine.diff(request.getId(), comparedOlds(resource, olds, oldInputs), news);
  const response = new provproto.DiffResponse();
  response.setChanges(
    result.changes
      ? provproto.DiffResponse.DiffChanges.DIFF_SOME
      : provproto.DiffResponse.DiffChanges.DIFF_NONE,
  );
  response.setReplacesList(result.replaces ?? []);
  response.setStablesList(result.stables ?? []);
  response.setDeletebeforereplace(result.deleteBeforeReplace ?? false);
  if (result.detailedDiff) setDetailedDiff(response, result.detailedDiff, result.replaces ?? []);
  return response;
}

/** The paths a preview shows (a bulk shard's people, one by one), and no others. */
function setDetailedDiff(
  response: provTypes.DiffResponse,
  detail: DetailedDiff,
  replaces: readonly string[],
): void {
  const kinds = provproto.PropertyDiff.Kind;
  const map = response.getDetaileddiffMap();
  for (const [path, kind] of Object.entries(detail)) {
    const replaced = replaces.some((key) => path === key || path.startsWith(`${key}[`));
    const diff = new provproto.PropertyDiff();
    if (kind === "add") diff.setKind(replaced ? kinds.ADD_REPLACE : kinds.ADD);
    else if (kind === "delete") diff.setKind(replaced ? kinds.DELETE_REPLACE : kinds.DELETE);
    else diff.setKind(replaced ? kinds.UPDATE_REPLACE : kinds.UPDATE);
    diff.setInputdiff(true);
    map.set(path, diff);
  }
  response.setHasdetaileddiff(true);
  response.setDiffsList([...new Set(Object.keys(detail).map((path) => path.split(/[[.]/)[0]!))]);
}

/** Runs a create or update, its true state recorded with the program's secrets sealed. */
async function applying<T>(secretKeys: ReadonlySet<string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof PartialFailure)) throw err;
    const sealedState = sealKeys(err.state as Props, secretKeys);
    throw Object.assign(new PartialFailure(err.message, err.id, sealedState), { reasons: err.reasons });
  }
}

async function create(request: provTypes.CreateRequest): Promise<provTypes.CreateResponse> {
  const resource = resourceOf(request.getUrn());
  const inputs = revealProps(fromStruct(request.getProperties()));
  const result = await applying(inputs.secretKeys, () => resource.engine.create(inputs.plain));
  const response = new provproto.CreateResponse();
  response.setId(result.id);
  response.setProperties(toStruct(sealKeys(result.outs as Props, inputs.secretKeys)));
  return response;
}

async function update(request: provTypes.UpdateRequest): Promise<provTypes.UpdateResponse> {
  const resource = resourceOf(request.getUrn());
  const olds = revealProps(fromStruct(request.getOlds())).plain;
  const news = revealProps(fromStruct(request.getNews()));
  const result = await applying(news.secretKeys, () =>
    resource.engine.update(request.getId(), olds, news.plain),
  );
  const response = new provproto.UpdateResponse();
  response.setProperties(toStruct(sealKeys(result.outs as Props, news.secretKeys)));
  return response;
}

async function read(request: provTypes.ReadRequest): Promise<provTypes.ReadResponse> {
  const resource = resourceOf(request.getUrn());
  const recorded = revealProps(fromStruct(request.getProperties()));
  const inputs = revealProps(fromStruct(request.getInputs()));
  const importing = Object.keys(recorded.plain).length === 0 && Object.keys(inputs.plain).length === 0;
  if (importing && !resource.importKind) throw new Error(`${typeOfUrn(request.getUrn())} cannot be imported`);
  const result = importing
    ? await importResource(resource.importKind!, resource.engine, request.getId())
    : await resource.engine.read(request.getId(), recorded.plain);
  const secretKeys = new Set([...recorded.secretKeys, ...inputs.secretKeys]);
  const response = new provproto.ReadResponse();
  response.setId(result.id);
  // Nothing found: no properties, which the engine reads as "does not exist" (an import says so).
  if (result.id === "") return response;
  response.setProperties(toStruct(sealKeys(result.props as Props, secretKeys)));
  response.setInputs(toStruct(sealKeys(result.inputs ?? inputs.plain, secretKeys)));
  return response;
}

async function deleteResource(request: provTypes.DeleteRequest) {
  const resource = resourceOf(request.getUrn());
  await resource.engine.delete(request.getId(), revealProps(fromStruct(request.getProperties())).plain);
  return new emptyproto.Empty();
}

const overrides = {
  configure: handle(configure),
  checkConfig: handle(checkProviderConfig),
  diffConfig: handle(diffProviderConfig),
  check: handle(check),
  diff: handle(diff),
  create: handle(create),
  read: handle(read),
  update: handle(update),
  delete: handle(deleteResource),
};

/**
 * Serves the plugin: the SDK's server for the process, the schema and
 * construct; the handlers above for everything a resource does.
 */
export async function servePlugin(provider: Provider, args: string[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the server as `this`
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, implementation) {
    const served = Object.assign(Object.create(implementation) as object, overrides);
    return addService.call(this, service, served);
  };
  await main(provider, args);
}
