/**
 * Checks values against an AWS service model (botocore's `service-2.json`, the
 * same model every SDK is generated from): types, required members, string
 * lengths and patterns, enum values, list and map sizes, shape by shape.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export interface Shape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
}

export interface ServiceModel {
  metadata: { protocol: string };
  operations: Record<string, { input?: { shape: string }; output?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

export interface Paginator {
  input_token: string | string[];
  output_token: string | string[];
}

/** The botocore that `npm run signers` installs in .venv-signers. */
export function botocoreDataDir(root: string): string {
  const python = join(root, ".venv-signers", "bin", "python");
  const run = existsSync(python)
    ? spawnSync(python, ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], {
        encoding: "utf8",
      })
    : undefined;
  if (!run || run.status !== 0) {
    throw new Error(
      `botocore's service models are read from ${python}: run \`npm run signers\` to create .venv-signers`,
    );
  }
  return join(run.stdout.trim(), "data");
}

function readMaybeGzipped(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8");
  return gunzipSync(readFileSync(`${path}.gz`)).toString("utf8");
}

export function loadModel(dataDir: string, service: string, version: string) {
  const dir = join(dataDir, service, version);
  const model = JSON.parse(readMaybeGzipped(join(dir, "service-2.json"))) as ServiceModel;
  const paginators = (
    JSON.parse(readMaybeGzipped(join(dir, "paginators-1.json"))) as {
      pagination: Record<string, Paginator>;
    }
  ).pagination;
  return { model, paginators };
}

const patterns = new Map<string, RegExp>();

/** A model pattern, matched against the whole value (as the service applies it). */
function fullMatch(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    try {
      re = new RegExp(`^(?:${pattern})$`, "u");
    } catch {
      re = new RegExp(`^(?:${pattern})$`);
    }
    patterns.set(pattern, re);
  }
  return re;
}

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * Every way `value` (JSON as sent on the wire, JSON protocol) breaks the shape,
 * as `path: problem` lines; empty when it conforms. Members the model does not
 * define are violations too: a client generated from the model would drop them.
 */
export function violations(model: ServiceModel, shapeName: string, value: unknown, path = "$"): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${path}: the model has no shape ${shapeName}`];
  const out: string[] = [];
  const fail = (problem: string) => out.push(`${path} (${shapeName}): ${problem}`);
  const size = (n: number, what: string) => {
    if (shape.min !== undefined && n < shape.min) fail(`${what} ${n} is under the minimum ${shape.min}`);
    if (shape.max !== undefined && n > shape.max) fail(`${what} ${n} is over the maximum ${shape.max}`);
  };
  switch (shape.type) {
    case "structure": {
      if (typeOf(value) !== "object")
        return [`${path} (${shapeName}): expected an object, got ${typeOf(value)}`];
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (record[name] === undefined || record[name] === null) fail(`required member ${name} is missing`);
      }
      for (const [name, member] of Object.entries(record)) {
        const def = shape.members?.[name];
        if (!def) fail(`member ${name} is not in the model`);
        else if (member !== null) out.push(...violations(model, def.shape, member, `${path}.${name}`));
      }
      break;
    }
    case "list":
      if (!Array.isArray(value)) return [`${path} (${shapeName}): expected a list, got ${typeOf(value)}`];
      size(value.length, "length");
      value.forEach((item, i) => out.push(...violations(model, shape.member!.shape, item, `${path}[${i}]`)));
      break;
    case "map": {
      if (typeOf(value) !== "object") return [`${path} (${shapeName}): expected a map, got ${typeOf(value)}`];
      const entries = Object.entries(value as Record<string, unknown>);
      size(entries.length, "size");
      for (const [k, v] of entries) {
        out.push(...violations(model, shape.key!.shape, k, `${path}{key ${JSON.stringify(k)}}`));
        out.push(...violations(model, shape.value!.shape, v, `${path}[${JSON.stringify(k)}]`));
      }
      break;
    }
    case "string":
      if (typeof value !== "string")
        return [`${path} (${shapeName}): expected a string, got ${typeOf(value)}`];
      // The model counts characters (code points).
      size([...value].length, "length");
      if (shape.pattern !== undefined && !fullMatch(shape.pattern).test(value))
        fail(`${JSON.stringify(value)} does not match the pattern ${shape.pattern}`);
      if (shape.enum && !shape.enum.includes(value))
        fail(`${JSON.stringify(value)} is not one of ${shape.enum.join(", ")}`);
      break;
    case "integer":
    case "long":
      if (!Number.isInteger(value))
        return [`${path} (${shapeName}): expected an integer, got ${JSON.stringify(value)}`];
      size(value as number, "value");
      break;
    case "float":
    case "double":
      if (typeof value !== "number" || !Number.isFinite(value))
        return [`${path} (${shapeName}): expected a number, got ${JSON.stringify(value)}`];
      size(value, "value");
      break;
    case "boolean":
      if (typeof value !== "boolean") fail(`expected a boolean, got ${JSON.stringify(value)}`);
      break;
    case "timestamp":
      // JSON protocol: epoch seconds.
      if (typeof value !== "number" || !Number.isFinite(value))
        fail(`expected epoch seconds, got ${JSON.stringify(value)}`);
      break;
    case "blob":
      if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) fail("expected base64 text");
      break;
    default:
      fail(`the checker does not know the type ${shape.type}`);
  }
  return out;
}

/**
 * A pagination token goes back as the next request's input: it must satisfy the
 * input member's shape too (ListFaces' output `NextToken` is a plain String in
 * the model, but the request's is a PaginationToken of at most 255 characters).
 */
export function tokenViolations(
  model: ServiceModel,
  paginators: Record<string, Paginator>,
  operation: string,
  output: Record<string, unknown>,
): string[] {
  const paginator = paginators[operation];
  if (!paginator) return [];
  const inputs = [paginator.input_token].flat();
  const outputs = [paginator.output_token].flat();
  const inputShape = model.shapes[model.operations[operation]!.input!.shape]!;
  return outputs.flatMap((name, i) => {
    const token = output[name];
    const member = inputShape.members?.[inputs[i]!];
    if (token === undefined || !member) return [];
    return violations(model, member.shape, token, `${operation} ${name} as the next request's ${inputs[i]}`);
  });
}
