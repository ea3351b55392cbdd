import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../provider/aws/settings.js";
import { qualityFilters } from "../../provider/face/model.js";
import {
  packageSchema,
  type EnumTypeSpec,
  type PackageSchema,
  type Properties,
  type ResourceSpec,
} from "../../provider/plugin/schema.js";

const schema: PackageSchema = packageSchema("1.2.3");
const resourcesDir = join(__dirname, "../../provider/resources");

/** A resource class as its source declares it: its args' members and its readonly outputs. */
interface DeclaredClass {
  readonly name: string;
  readonly inputs: ReadonlyMap<string, { readonly optional: boolean }>;
  readonly outputs: readonly string[];
}

const isReadonly = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((mod) => mod.kind === ts.SyntaxKind.ReadonlyKeyword);
const nameOf = (member: ts.ClassElement | ts.TypeElement): string => (member.name as ts.Identifier).text;

/**
 * The interfaces a class's base is typed with, as in
 * `extends dynamicResource<CollectionOutputs>(…)`: their members are the class's outputs.
 */
function baseTypeArguments(node: ts.ClassDeclaration): string[] {
  const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!base || !ts.isCallExpression(base.expression)) return [];
  return (base.expression.typeArguments ?? []).map((type) => type.getText());
}

/** Every resource class in provider/resources/*.ts, read from the source, so a new input cannot be forgotten. */
function declaredClasses(): DeclaredClass[] {
  const sources = readdirSync(resourcesDir)
    .filter((f) => f.endsWith(".ts"))
    .map((file) =>
      ts.createSourceFile(file, readFileSync(join(resourcesDir, file), "utf8"), ts.ScriptTarget.Latest, true),
    );
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  for (const source of sources)
    source.forEachChild((node) => {
      if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
    });
  const classes: DeclaredClass[] = [];
  for (const source of sources)
    source.forEachChild((node) => {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const args = interfaces.get(`${node.name.text}Args`);
      const inputs = new Map<string, { optional: boolean }>();
      for (const member of args?.members ?? [])
        if (ts.isPropertySignature(member) && ts.isIdentifier(member.name))
          inputs.set(member.name.text, { optional: member.questionToken !== undefined });
      const own = node.members.filter((m) => ts.isPropertyDeclaration(m) && isReadonly(m));
      const typed = baseTypeArguments(node).flatMap((name) => {
        const outputs = interfaces.get(name);
        if (!outputs)
          throw new Error(`${node.name!.text}'s base names ${name}, an interface no resource file declares`);
        return outputs.members.filter((m) => ts.isPropertySignature(m) && isReadonly(m));
      });
      classes.push({ name: node.name.text, inputs, outputs: [...own, ...typed].map(nameOf) });
    });
  return classes;
}

// StackIdentity is the dynamic host's own record of the stack's identity; the
// plugin keeps it in the provider's `stackIdentity` input instead.
const classes = declaredClasses().filter((c) => c.name !== "StackIdentity");
const resource = (name: string): ResourceSpec => {
  const spec = schema.resources[`rekognition-faces:index:${name}`];
  if (!spec) throw new Error(`the schema has no resource rekognition-faces:index:${name}`);
  return spec;
};
const enumValues = (name: string): string[] =>
  (schema.types[`rekognition-faces:index:${name}`] as EnumTypeSpec).enum.map((v) => v.value);

describe("the plugin's package schema", () => {
  it("reads the seven resource classes from the source (the derivation itself works)", () => {
    expect(classes.map((c) => c.name).sort()).toEqual([
      "Collection",
      "FaceRoster",
      "FaceRosterShard",
      "IndexedFace",
      "RetiredFaces",
      "User",
      "UserFaceAssociation",
    ]);
    expect([...classes.find((c) => c.name === "UserFaceAssociation")!.inputs.keys()]).toContain("faceIds");
    expect(classes.find((c) => c.name === "FaceRoster")!.outputs).toEqual(["users", "summary"]);
    expect(classes.find((c) => c.name === "Collection")!.outputs).toEqual([
      "collectionId",
      "tags",
      "arn",
      "faceModelVersion",
      "faceCount",
      "userCount",
      "origin",
    ]);
  });

  it("names the package and every resource by its rekognition-faces:index token", () => {
    expect(schema.name).toBe("rekognition-faces");
    expect(schema.version).toBe("1.2.3");
    expect(schema.license).toBe("Apache-2.0");
    expect(Object.keys(schema.resources).sort()).toEqual(
      classes.map((c) => `rekognition-faces:index:${c.name}`).sort(),
    );
    expect(resource("FaceRoster").isComponent).toBe(true);
    for (const c of classes.filter((c) => c.name !== "FaceRoster"))
      expect(resource(c.name).isComponent, c.name).toBeUndefined();
  });

  it.each(classes.map((c) => [c.name, c] as const))(
    "%s: the schema's inputs are exactly the class's args, required where the args require them",
    (name, declared) => {
      const spec = resource(name);
      expect(Object.keys(spec.inputProperties).sort()).toEqual([...declared.inputs.keys()].sort());
      const required = [...declared.inputs].filter(([, m]) => !m.optional).map(([key]) => key);
      expect([...(spec.requiredInputs ?? [])].sort()).toEqual(required.sort());
    },
  );

  it.each(classes.map((c) => [c.name, c] as const))(
    "%s: every output the class declares is an output of the schema, and nothing else but its inputs",
    (name, declared) => {
      const spec = resource(name);
      const outputs = Object.keys(spec.properties);
      for (const output of declared.outputs) expect(outputs, `${name}.${output}`).toContain(output);
      const known = new Set([...declared.outputs, ...declared.inputs.keys()]);
      for (const output of outputs) expect(known.has(output), `${name}.${output} is in no class`).toBe(true);
      for (const key of spec.required ?? []) expect(outputs).toContain(key);
    },
  );

  it("leaves out the inputs the host supplies itself", () => {
    for (const spec of Object.values(schema.resources))
      for (const hidden of ["scope", "sensitive", "__provider"]) {
        expect(spec.inputProperties).not.toHaveProperty(hidden);
        expect(spec.properties).not.toHaveProperty(hidden);
      }
  });

  it("uses enums for the closed value sets", () => {
    expect(enumValues("RosterMode")).toEqual(["per-resource", "bulk"]);
    expect(enumValues("Origin")).toEqual(["created", "adopted"]);
    expect(enumValues("UserStatus")).toEqual(expect.arrayContaining(["CREATED", "UPDATING", "ACTIVE"]));
    expect(enumValues("QualityFilter")).toEqual([...qualityFilters]);
    expect(resource("FaceRoster").inputProperties.mode).toMatchObject({
      $ref: "#/types/rekognition-faces:index:RosterMode",
    });
    expect(resource("User").properties.origin).toMatchObject({
      $ref: "#/types/rekognition-faces:index:Origin",
    });
    expect(resource("User").properties.userStatus).toMatchObject({
      $ref: "#/types/rekognition-faces:index:UserStatus",
    });
  });

  it("resolves every type reference", () => {
    const refs = JSON.stringify(schema).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const name = ref.slice('"$ref":"#/types/'.length, -1);
      expect(schema.types, ref).toHaveProperty([name]);
    }
  });

  it("configures the provider with the keys the dynamic provider reads, in its own namespace", () => {
    const names = CONFIG_KEYS.map((key) => key.slice(key.indexOf(":") + 1));
    expect(Object.keys(schema.config.variables).sort()).toEqual([...names].sort());
    expect(Object.keys(schema.provider.inputProperties).sort()).toEqual([...names, "stackIdentity"].sort());
    expect(schema.provider.inputProperties.endpoints).toMatchObject({
      type: "array",
      items: { $ref: "#/types/rekognition-faces:index:Endpoints" },
    });
    expect(schema.provider.inputProperties.rateLimits).toMatchObject({
      type: "object",
      additionalProperties: { type: "number" },
    });
  });

  it("marks the credentials secret, and nothing else", () => {
    const secretIn = (props: Properties): string[] =>
      Object.entries(props)
        .filter(([, p]) => p.secret === true)
        .map(([key]) => key)
        .sort();
    expect(secretIn(schema.config.variables)).toEqual(["accessKey", "secretKey", "token"]);
    expect(secretIn(schema.provider.inputProperties)).toEqual(["accessKey", "secretKey", "token"]);
    for (const spec of Object.values(schema.resources)) {
      expect(secretIn(spec.inputProperties)).toEqual([]);
      expect(secretIn(spec.properties)).toEqual([]);
    }
  });
});
