import { describe, expect, it } from "vitest";
import { moveToPlugin, MoveError, type StackExport } from "../../provider/to-plugin/plan.js";

const prefix = "urn:pulumi:dev::roster";
const stackUrn = `${prefix}::pulumi:pulumi:Stack::roster-dev`;
const dynamicProvider = `${prefix}::pulumi:providers:pulumi-nodejs::default::1111`;
const identityUrn = `${prefix}::pulumi-nodejs:dynamic/rekognition:StackIdentity::rekognition-faces-stack-identity`;
const rosterUrn = `${prefix}::rekognition:index:FaceRoster::team`;
const userUrn = `${prefix}::rekognition:index:FaceRoster$pulumi-nodejs:dynamic/rekognition:User::ann`;

function exported(extra: Partial<StackExport["deployment"]> = {}): StackExport {
  return {
    version: 3,
    deployment: {
      manifest: {},
      resources: [
        { urn: stackUrn, type: "pulumi:pulumi:Stack", custom: false },
        { urn: dynamicProvider, type: "pulumi:providers:pulumi-nodejs", custom: true, id: "1111" },
        {
          urn: identityUrn,
          type: "pulumi-nodejs:dynamic/rekognition:StackIdentity",
          custom: true,
          id: "abc",
          outputs: { stackId: "5f0c1f7e-0000-4000-8000-000000000001", __provider: "…" },
          provider: `${dynamicProvider}::1111`,
        },
        { urn: rosterUrn, type: "rekognition:index:FaceRoster", parent: stackUrn },
        {
          urn: userUrn,
          type: "pulumi-nodejs:dynamic/rekognition:User",
          custom: true,
          id: "c/ann",
          parent: rosterUrn,
          provider: `${dynamicProvider}::1111`,
          dependencies: [identityUrn],
          propertyDependencies: { scope: [identityUrn], userId: [] },
          inputs: {
            collectionId: "c",
            userId: "ann",
            scope: "5f0c1f7e-0000-4000-8000-000000000001",
            __provider: "…",
          },
          outputs: { collectionId: "c", userId: "ann", origin: "created", __provider: "…" },
        },
      ],
      ...extra,
    },
  };
}

describe("moving a state to the plugin", () => {
  const { state, report } = moveToPlugin(exported());
  const resources = state.deployment.resources!;

  it("renames each type, in URNs and parents too, and points custom resources at the plugin's default provider", () => {
    const user = resources.find((r) => r.type === "rekognition-faces:index:User")!;
    expect(user.urn).toBe(`${prefix}::rekognition-faces:index:FaceRoster$rekognition-faces:index:User::ann`);
    expect(user.parent).toBe(`${prefix}::rekognition-faces:index:FaceRoster::team`);
    expect(user.provider).toMatch(
      /^urn:pulumi:dev::roster::pulumi:providers:rekognition-faces::default::[0-9a-f-]{36}$/,
    );
    expect(user.inputs).not.toHaveProperty("__provider");
    expect(user.outputs).not.toHaveProperty("__provider");
    expect(user.dependencies).toEqual([]);
    expect(user.propertyDependencies).toEqual({ scope: [], userId: [] });
    expect(report.moved).toEqual({
      "rekognition-faces:index:FaceRoster": 1,
      "rekognition-faces:index:User": 1,
    });
  });

  it("carries the stack's identity into the provider, and drops the identity resource and the unused dynamic provider", () => {
    const provider = resources.find((r) => r.type === "pulumi:providers:rekognition-faces")!;
    expect(provider.inputs).toEqual({ stackIdentity: "5f0c1f7e-0000-4000-8000-000000000001" });
    expect(resources.map((r) => r.type)).toEqual([
      "pulumi:pulumi:Stack",
      "pulumi:providers:rekognition-faces",
      "rekognition-faces:index:FaceRoster",
      "rekognition-faces:index:User",
    ]);
    expect(report.identity).toBe("5f0c1f7e-0000-4000-8000-000000000001");
  });

  it("refuses a state with pending operations, saying what to run first", () => {
    expect(() => moveToPlugin(exported({ pending_operations: [{}] }))).toThrow(MoveError);
    expect(() => moveToPlugin(exported({ pending_operations: [{}] }))).toThrow(/pulumi refresh/);
  });
});
