import { stringify as stringifyYaml } from "yaml";
/** Writes a stack program declaring UserFaceAssociations, one per entry. */
export interface AssociationDeclaration {
  readonly name: string;
  readonly collectionId: string;
  readonly userId: string;
  readonly faceIds: readonly string[];
  readonly exclusive?: boolean;
  readonly userMatchThreshold?: number;
  readonly waitForActive?: boolean;
  readonly activeTimeoutSeconds?: number;
}

export function associationProgram(declarations: readonly AssociationDeclaration[]): string {
  const lines = ['import { UserFaceAssociation } from "pulumi-rekognition-faces";', ""];
  declarations.forEach(({ name, ...args }, i) => {
    lines.push(`const a${i} = new UserFaceAssociation(${JSON.stringify(name)}, ${JSON.stringify(args)});`);
    lines.push(
      `export const ${safe(name)} = { faceIds: a${i}.faceIds, userStatus: a${i}.userStatus, failedFaces: a${i}.failedFaces };`,
    );
  });
  return lines.join("\n") + "\n";
}

const safe = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, "_");

/**
 * A YAML project that uses the provider plugin, set up as the README says: the
 * npm package installed in the project, and `plugins:` naming its plugin.
 */
export function pluginYamlProject(
  name: string,
  resources: Record<
    string,
    { type: string; properties?: Record<string, unknown>; options?: Record<string, unknown> }
  >,
  outputs: Record<string, unknown> = {},
): string {
  return stringifyYaml({
    name,
    runtime: "yaml",
    plugins: {
      providers: [{ name: "rekognition-faces", path: "./node_modules/pulumi-rekognition-faces/bin" }],
    },
    resources,
    outputs,
  });
}
