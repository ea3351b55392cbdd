// Pulumi's dynamic provider host passes a diff's `changes`, `replaces` and
// `deleteBeforeReplace` to the engine, but not a detailed diff, so the engine
// prints every input of a changed resource, unchanged ones included: for a
// roster shard, hundreds of people to show one change. This hands the engine
// a detailed diff anyway, through the one step the host takes synchronously
// after reading a diff's result: reading `changes`, then `resp.setChanges`.
// Nothing runs between the two, so the detail always lands on the response
// of the diff it belongs to. When the host's modules are not where this
// expects them, nothing is patched and the engine prints its full diff.
import type * as pulumi from "@pulumi/pulumi";
import type { DetailedDiff } from "../engine.js";

interface PropertyDiffMessage {
  setKind(kind: number): PropertyDiffMessage;
  setInputdiff(value: boolean): PropertyDiffMessage;
}

/** The host's DiffResponse methods, called with the response as `this`. */
interface DiffResponsePrototype {
  setChanges: (this: unknown, value: number) => unknown;
  setHasdetaileddiff?: (this: unknown, value: boolean) => unknown;
  setDiffsList?: (this: unknown, value: string[]) => unknown;
  getDetaileddiffMap?: (this: unknown) => { set(key: string, value: PropertyDiffMessage): unknown };
}

interface ProviderProto {
  DiffResponse: { prototype: DiffResponsePrototype };
  PropertyDiff: (new () => PropertyDiffMessage) & { Kind: Record<string, number> };
}

// Process-wide: the detail of the diff being answered waits here between the
// host reading `changes` and calling `setChanges` (nothing runs in between);
// each DiffResponse prototype is patched once.
let pending: DetailedDiff | undefined;
const patched = new WeakSet<object>();

/** The host's protobuf modules of the provider protocol, as loaded in this process. */
function hostProtos(): ProviderProto[] {
  return Object.keys(require.cache)
    .filter((path) => /[\\/]@pulumi[\\/]pulumi[\\/]proto[\\/]provider_pb\.js$/.test(path))
    .map((path) => require.cache[path]?.exports as ProviderProto)
    .filter((proto) => typeof proto?.DiffResponse?.prototype?.setChanges === "function");
}

function install(): void {
  for (const proto of hostProtos()) {
    const prototype = proto.DiffResponse.prototype;
    if (patched.has(prototype)) continue;
    const { setHasdetaileddiff, getDetaileddiffMap, setDiffsList } = prototype;
    if (!setHasdetaileddiff || !getDetaileddiffMap || !setDiffsList || !proto.PropertyDiff?.Kind) continue;
    patched.add(prototype);
    const kinds = {
      add: proto.PropertyDiff.Kind["ADD"]!,
      delete: proto.PropertyDiff.Kind["DELETE"]!,
      update: proto.PropertyDiff.Kind["UPDATE"]!,
    };
    const setChanges = prototype.setChanges;
    prototype.setChanges = function (this: unknown, value: number) {
      const result = setChanges.call(this, value);
      const detail = pending;
      pending = undefined;
      if (detail) {
        const map = getDetaileddiffMap.call(this);
        for (const [path, kind] of Object.entries(detail)) {
          map.set(path, new proto.PropertyDiff().setKind(kinds[kind]).setInputdiff(true));
        }
        setDiffsList.call(this, [...new Set(Object.keys(detail).map((path) => path.split(/[.[]/)[0]!))]);
        setHasdetaileddiff.call(this, true);
      }
      return result;
    };
  }
}

/**
 * The diff result, carrying `detail` to the engine: the preview then shows
 * exactly these paths. `changes` must be true for detail to mean anything.
 */
export function withDetailedDiff(
  result: pulumi.dynamic.DiffResult,
  detail: DetailedDiff,
): pulumi.dynamic.DiffResult {
  if (!result.changes || Object.keys(detail).length === 0) return result;
  install();
  return {
    ...result,
    get changes() {
      pending = detail;
      return true;
    },
  };
}
