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
