// What both demo stories share: where a story keeps its state, the error a
// person can act on, and the roster table.
import { join } from "node:path";
import type { DemoStack } from "./stack.mts";

/** A failure the person running the demo can act on: its message is all they see. */
export class DemoError extends Error {}

/** Where one story keeps its state, under the demo's state directory. */
export interface Paths {
  /** rekognition-local's data: the two face models' vectors never share one. */
  readonly dataDir: string;
  readonly localDir: string;
  /** The file backend both stories' stacks live in. */
  readonly backendDir: string;
  readonly photoDir: string;
  /** The stack's settings, kept out of the repository (every command gets --config-file). */
  readonly configFile: string;
}

/** A story's fixed names: its stack, program, face model and folders. */
export interface StoryLayout {
  /** How the story is named to a person: "real-photo" or "synthetic". */
  readonly label: string;
  /** The flag that selects it, "" for the default. */
  readonly flag: string;
  readonly faceModel: "real" | "synthetic";
  readonly stackName: string;
  /** The folder with the story's Pulumi.yaml. */
  readonly programDir: string;
  readonly dataDirName: string;
  readonly photoDirName: string;
}

/** A story: its names, its stack's configuration, and the deployment it shows. */
export interface Story extends StoryLayout {
  settings(paths: Paths, endpoint: string): Record<string, string>;
  deploy(stack: DemoStack, paths: Paths, endpoint: string): Promise<void>;
}

export function pathsUnder(stateDir: string, story: StoryLayout): Paths {
  const localDir = join(stateDir, ".pulumi-local");
  return {
    dataDir: join(stateDir, story.dataDirName),
    localDir,
    backendDir: join(localDir, "state"),
    photoDir: join(localDir, story.photoDirName),
    configFile: join(localDir, `Pulumi.${story.stackName}.yaml`),
  };
}

/** The command a person types to run `story` with `extra` flags. */
export function demoCommand(story: StoryLayout, extra = ""): string {
  const flags = `${story.flag} ${extra}`.trim();
  return flags === "" ? "npm run demo" : `npm run demo -- ${flags}`;
}

/** A roster member as the FaceRoster's `users` output has it. */
export interface RosterUser {
  readonly userId: string;
  readonly faceIds: string[];
  readonly userStatus: string;
}

/** The first 8 characters of each face ID: enough to tell faces apart on screen. */
export function shortIds(faceIds: readonly string[]): string {
  return faceIds.map((id) => id.slice(0, 8)).join(" ");
}

/** Rows as left-aligned columns, indented. */
export function table(rows: readonly (readonly string[])[], indent = "  "): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) => (indent + row.map((cell, col) => cell.padEnd(widths[col]!)).join("   ")).trimEnd())
    .join("\n");
}

export function printRoster(users: Record<string, RosterUser>, collectionArn: string): void {
  console.log(`\nThe roster in ${collectionArn}:\n`);
  const rows = Object.values(users).map((u) => [
    u.userId,
    String(u.faceIds.length),
    u.userStatus,
    shortIds(u.faceIds),
  ]);
  console.log(table([["person", "faces", "status", "face IDs"], ...rows]));
}
