// A stack's state moved from the dynamic resources to the provider plugin's,
// as a pure rewrite of `pulumi stack export`: the same resources under the
// plugin's types, the stack's identity carried into the plugin's provider.
// Nothing is read from or written to the service.
import { randomUUID } from "node:crypto";

/** A resource as `pulumi stack export` writes it (the parts this rewrite touches). */
export interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [other: string]: unknown;
}

export interface StackExport {
  version: number;
  deployment: {
    resources?: StateResource[];
    pending_operations?: unknown[];
    [other: string]: unknown;
  };
}

export class MoveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoveError";
  }
}

const dynamicPrefix = "pulumi-nodejs:dynamic/rekognition:";
const identityType = `${dynamicPrefix}StackIdentity`;
const dynamicProviderType = "pulumi:providers:pulumi-nodejs";

/** Each type the dynamic resources record, and the plugin's type for it. */
export const pluginTypes: Readonly<Record<string, string>> = {
  [`${dynamicPrefix}Collection`]: "rekognition-faces:index:Collection",
  [`${dynamicPrefix}User`]: "rekognition-faces:index:User",
  [`${dynamicPrefix}IndexedFace`]: "rekognition-faces:index:IndexedFace",
  [`${dynamicPrefix}UserFaceAssociation`]: "rekognition-faces:index:UserFaceAssociation",
  [`${dynamicPrefix}FaceRosterShard`]: "rekognition-faces:index:FaceRosterShard",
  [`${dynamicPrefix}RetiredFaces`]: "rekognition-faces:index:RetiredFaces",
  "rekognition:index:FaceRoster": "rekognition-faces:index:FaceRoster",
};

export interface MoveReport {
  /** Resources moved, by the plugin's type. */
  readonly moved: Readonly<Record<string, number>>;
  /** The stack's identity, now the plugin provider's `stackIdentity`. */
  readonly identity?: string;
}

/** `urn:pulumi:<stack>::<project>::<parent$…$type>::<name>`, with each type in the chain renamed. */
function renameUrn(urn: string): string {
  const parts = urn.split("::");
  if (parts.length < 4) return urn;
  parts[2] = parts[2]!
    .split("$")
    .map((type) => pluginTypes[type] ?? type)
    .join("$");
  return parts.join("::");
}

/** Properties without the dynamic provider host's serialized provider. */
function withoutHost<T extends Record<string, unknown> | undefined>(props: T): T {
  if (!props) return props;
  const { __provider: _serialized, ...rest } = props;
  return rest as T;
}

/**
 * Moves every resource of this package to the plugin. The dynamic provider's
 * own entry goes too once nothing else uses it, and so does the hidden
 * StackIdentity, whose ID the plugin's default provider records instead, so
 * that what the stack made stays its own.
 */
export function moveToPlugin(state: StackExport): { state: StackExport; report: MoveReport } {
  const resources = state.deployment.resources ?? [];
  if ((state.deployment.pending_operations ?? []).length > 0)
    throw new MoveError(
      "the stack has pending operations (an interrupted `pulumi up`): run `pulumi refresh` (or `pulumi up`) first, then export again",
    );
  const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (!stack)
    throw new MoveError("this export has no stack resource: give it the output of `pulumi stack export`");
  const identityResource = resources.find((r) => r.type === identityType);
  const identity = identityResource?.outputs?.["stackId"];
  const urnPrefix = stack.urn.split("::").slice(0, 2).join("::");
  // The default provider the plugin's resources use in every release (../sdk/index.ts).
  const providerUrn = `${urnPrefix}::pulumi:providers:rekognition-faces::default`;
  const providerId = randomUUID();
  const providerRef = `${providerUrn}::${providerId}`;
  const dropped = new Set(identityResource ? [identityResource.urn] : []);
  const moved: Record<string, number> = {};

  const rewritten = resources
    .filter((r) => !dropped.has(r.urn))
    .map((r) => {
      const type = pluginTypes[r.type];
      if (!type) return r;
      moved[type] = (moved[type] ?? 0) + 1;
      const out: StateResource = {
        ...r,
        urn: renameUrn(r.urn),
        type,
        ...(r.parent && { parent: renameUrn(r.parent) }),
        ...(r.dependencies && { dependencies: r.dependencies.filter((d) => !dropped.has(d)).map(renameUrn) }),
        ...(r.propertyDependencies && {
          propertyDependencies: renamedDependencies(r.propertyDependencies, dropped),
        }),
        ...(r.inputs && { inputs: withoutHost(r.inputs) }),
        ...(r.outputs && { outputs: withoutHost(r.outputs) }),
      };
      if (r.custom) out.provider = providerRef;
      return out;
    });

  const providerInputs = typeof identity === "string" ? { stackIdentity: identity } : {};
  const provider: StateResource = {
    urn: providerUrn,
    custom: true,
    id: providerId,
    type: "pulumi:providers:rekognition-faces",
    inputs: providerInputs,
    outputs: providerInputs,
  };
  const stillDynamic = rewritten.some((r) =>
    r.provider?.startsWith(`${urnPrefix}::${dynamicProviderType}::`),
  );
  const kept = rewritten.filter((r) => stillDynamic || r.type !== dynamicProviderType);
  const at = kept.findIndex((r) => r.type === "pulumi:pulumi:Stack") + 1;
  const out: StackExport = {
    ...state,
    deployment: { ...state.deployment, resources: [...kept.slice(0, at), provider, ...kept.slice(at)] },
  };
  return { state: out, report: { moved, ...(typeof identity === "string" && { identity }) } };
}

function renamedDependencies(
  deps: Record<string, string[]>,
  dropped: ReadonlySet<string>,
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(deps).map(([key, urns]) => [key, urns.filter((u) => !dropped.has(u)).map(renameUrn)]),
  );
}
