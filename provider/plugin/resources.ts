// The resources the plugin serves, by type token: each one's engine (the
// same as the dynamic provider's) and the inputs the plugin supplies that a
// program never declares.
import type { Props, ResourceEngine } from "../engine.js";
import { engine as association } from "../association/engine.js";
import { engine as shard } from "../bulk/engine.js";
import { engine as collection } from "../collection/engine.js";
import { engine as face } from "../face/engine.js";
import { engine as retiredFaces } from "../retired/engine.js";
import { engine as user } from "../user/engine.js";
import type { ImportKind } from "../imports.js";
import { packageName } from "./config.js";

export interface PluginResource {
  readonly engine: ResourceEngine;
  /** Set when `pulumi import` can bring one under management. */
  readonly importKind?: ImportKind;
  /** Takes the stack's identity as `scope` (../scope.ts). */
  readonly scoped?: boolean;
  /** Takes `sensitive`: which of its inputs the program marked secret (../sealing.ts). */
  readonly sensitivity?: boolean;
  /** Takes `secretImage` when the program marked its `image` secret (../face/model.ts). */
  readonly secretImage?: boolean;
  /**
   * Inputs recorded with a resource but absent from its outputs, that its
   * diff compares: an imported face's photo, recorded by its first update.
   */
  readonly inputsCompared?: readonly string[];
}

const token = (type: string): string => `${packageName}:index:${type}`;

const served = new Map<string, PluginResource>([
  [token("Collection"), { engine: collection, importKind: "Collection", scoped: true }],
  [token("User"), { engine: user, importKind: "User", scoped: true, sensitivity: true }],
  [
    token("IndexedFace"),
    {
      engine: face,
      importKind: "IndexedFace",
      inputsCompared: ["image", "imageSha256"],
      secretImage: true,
    },
  ],
  [
    token("UserFaceAssociation"),
    { engine: association, importKind: "UserFaceAssociation", sensitivity: true },
  ],
  [token("FaceRosterShard"), { engine: shard, scoped: true }],
  [token("RetiredFaces"), { engine: retiredFaces }],
]);

export function resourceTypes(): string[] {
  return [...served.keys()];
}

export function servedResources(): PluginResource[] {
  return [...served.values()];
}

/** The type token of a URN: `urn:pulumi:<stack>::<project>::<parent$>type::<name>`. */
export function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

export function resourceOf(urn: string): PluginResource {
  const type = typeOfUrn(urn);
  const resource = served.get(type);
  if (!resource)
    throw new Error(
      `${packageName} has no resource type '${type}': use one of ${resourceTypes().join(", ")}`,
    );
  return resource;
}

/** The declared inputs with what the plugin supplies: the scope, which inputs are secret. */
export function withHostInputs(
  resource: PluginResource,
  olds: Props,
  news: Props,
  secretKeys: ReadonlySet<string>,
  identity: string | undefined,
): Props {
  const out: Props = { ...news };
  if (resource.scoped) {
    // A resource keeps the scope it was made under (an older provider's identity).
    const kept = typeof olds["scope"] === "string" ? olds["scope"] : undefined;
    const scope = kept ?? identity;
    if (scope !== undefined) out["scope"] = scope;
  }
  if (resource.sensitivity)
    out["sensitive"] = { faceIds: secretKeys.has("faceIds"), userId: secretKeys.has("userId") };
  if (resource.secretImage && secretKeys.has("image")) out["secretImage"] = true;
  return out;
}

/** The recorded outputs, with the compared inputs that only the recorded inputs hold. */
export function comparedOlds(resource: PluginResource, olds: Props, oldInputs: Props): Props {
  const out: Props = { ...olds };
  for (const key of resource.inputsCompared ?? [])
    if (out[key] === undefined && oldInputs[key] !== undefined) out[key] = oldInputs[key];
  return out;
}
