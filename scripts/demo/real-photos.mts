// The real-photo story (`npm run demo`): real photographs on the real face
// model, the stack of scripts/real-photos. An unseen photo finds the right
// person; a photo of the wrong person is refused and the state stays true.
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ListFacesCommand, RekognitionClient, SearchUsersByImageCommand } from "@aws-sdk/client-rekognition";
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from "pulumi-rekognition-faces/emulator";
import { repoRoot } from "../local-pulumi.mts";
import {
  DemoError,
  demoCommand,
  printRoster,
  shortIds,
  table,
  type Paths,
  type RosterUser,
  type Story,
} from "./common.mts";
import { describeUp, realChanges, type DemoStack, type StateResource } from "./stack.mts";

const sourceDir = join(repoRoot, "test", "photos", "real");
const collectionId = "real-photos-demo";
/** The photo no deployment indexes, and whom it shows. */
const unseen = { file: "obama-3.jpg", person: "obama" };
/** SearchUsersByImage's UserMatchThreshold when a call leaves it out. */
const defaultSearchThreshold = 80;

type Rekognition = InstanceType<typeof RekognitionClient>;

async function deploy(stack: DemoStack, paths: Paths, endpoint: string): Promise<void> {
  mkdirSync(paths.photoDir, { recursive: true });
  for (const file of readdirSync(sourceDir).filter((f) => f.endsWith(".jpg")))
    copyFileSync(join(sourceDir, file), join(paths.photoDir, file));
  console.log(
    `Real photographs (public domain, see test/photos/real/NOTICE.md) are in ${paths.photoDir};\n` +
      "rekognition-local analyses them with its real face model (face-api on TensorFlow.js), about a second a photo.",
  );

  console.log(`\n1. Deploying obama (obama-1, obama-2) and biden (biden-1) to ${endpoint} (pulumi up)`);
  await stack.configure(settingsFor(paths, endpoint, false));
  const first = await stack.mustUp();
  console.log(`   ${describeUp(first.changes, "the roster")}`);
  const outputs = await stack.outputs<{ users: Record<string, RosterUser>; collectionArn: string }>();
  printRoster(outputs.users, outputs.collectionArn);

  const client = new RekognitionClient({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { ...DEFAULT_CREDENTIALS },
  });
  try {
    await printSearch(client, paths);
    if (realChanges(first.changes).length === 0) {
      console.log(
        "\n(The wrong-person steps run only when pulumi up changed the roster, so that a second run changes\n" +
          ` nothing: to see them again, run \`${demoCommand(realPhotos, "--destroy")}\` first.)`,
      );
    } else {
      await wrongPerson(stack, client, paths, endpoint);
    }
  } finally {
    client.destroy();
  }
  console.log(
    `\nRun \`${demoCommand(realPhotos)}\` again: nothing changes. ` +
      `Tear it down with \`${demoCommand(realPhotos, "--destroy")}\`.\n` +
      "Generated portraits on the synthetic face model instead: `npm run demo -- --synthetic`.",
  );
}

function settingsFor(paths: Paths, endpoint: string, wrongPhoto: boolean): Record<string, string> {
  return {
    "aws:region": DEFAULT_REGION,
    "aws:endpoints[0].rekognition": endpoint,
    photoDir: paths.photoDir,
    wrongPhoto: String(wrongPhoto),
  };
}

export const realPhotos: Story = {
  label: "real-photo",
  flag: "",
  faceModel: "real",
  stackName: "real-photos",
  programDir: join(repoRoot, "scripts", "real-photos"),
  dataDirName: ".rekognition-local-real",
  photoDirName: "real-photos",
  settings: (paths, endpoint) => settingsFor(paths, endpoint, false),
  deploy,
};

/** The unseen photo searched against every user: the right one high, the other low. */
async function printSearch(client: Rekognition, paths: Paths): Promise<void> {
  console.log(
    `\n2. ${unseen.file}, a photo the collection has never seen, searched with SearchUsersByImage:\n`,
  );
  const out = await client.send(
    new SearchUsersByImageCommand({
      CollectionId: collectionId,
      Image: { Bytes: readFileSync(join(paths.photoDir, unseen.file)) },
      UserMatchThreshold: 0,
    }),
  );
  const rows = (out.UserMatches ?? []).map((match) => [
    `${unseen.file}  →  ${match.User!.UserId!}`,
    `similarity ${match.Similarity!.toFixed(1)}%`,
    match.User!.UserId === unseen.person ? "(the right person)" : "(someone else)",
  ]);
  console.log(table(rows, "   "));
  const found = (out.UserMatches ?? []).filter((m) => m.Similarity! >= defaultSearchThreshold);
  const missed = (out.UserMatches ?? []).filter((m) => m.Similarity! < defaultSearchThreshold);
  const names = (matches: typeof found): string => matches.map((m) => m.User!.UserId!).join(", ") || "no one";
  console.log(
    `\n   A search finds users at ${defaultSearchThreshold}% or more by default: ${names(found)} found, ${names(missed)} not.`,
  );
}

/** biden-1.jpg filed under obama too: pulumi up fails, the state keeps the truth, and the photo goes again. */
async function wrongPerson(
  stack: DemoStack,
  client: Rekognition,
  paths: Paths,
  endpoint: string,
): Promise<void> {
  console.log("\n3. The wrong person: biden-1.jpg is added to obama's photos as well (pulumi up)");
  await stack.configure(settingsFor(paths, endpoint, true));
  const wrong = await stack.up();
  const diagnostic = associationDiagnostic(wrong.output);
  const refused = diagnostic.flatMap((line) => /([0-9a-f-]{36}): LOW_MATCH_CONFIDENCE/.exec(line)?.[1] ?? []);
  if (wrong.code === 0 || refused.length === 0)
    throw new DemoError(
      `expected a LOW_MATCH_CONFIDENCE deployment error; pulumi up said:\n${wrong.output.slice(-4000)}`,
    );
  console.log("   pulumi up fails, as it should. Its diagnostic:\n");
  for (const line of diagnostic) console.log(`     ${line}`);
  console.log(
    `\n   The photo was indexed (face ${shortIds(refused)}), but AssociateFaces compared it with obama's faces\n` +
      "   and refused it.",
  );
  await printStateAndService(stack, client, refused);

  console.log("\n4. Taking the wrong photo out again (pulumi up)");
  await stack.configure(settingsFor(paths, endpoint, false));
  const fixed = await stack.mustUp();
  console.log(
    `   ${describeUp(fixed.changes, "the roster")} The refused face is deleted from the collection.`,
  );
}

/** Each association's faces in the stack's state beside the user's faces in the service; they must agree. */
async function printStateAndService(
  stack: DemoStack,
  client: Rekognition,
  refused: readonly string[],
): Promise<void> {
  const inState = associationsIn(await stack.state());
  const rows: string[][] = [];
  const disagree: string[] = [];
  for (const [userId, stateFaces] of Object.entries(inState)) {
    const listed = await client.send(new ListFacesCommand({ CollectionId: collectionId, UserId: userId }));
    const serviceFaces = (listed.Faces ?? []).map((face) => face.FaceId!).sort();
    rows.push([userId, shortIds(stateFaces), shortIds(serviceFaces)]);
    const holdsRefused = [...stateFaces, ...serviceFaces].some((id) => refused.includes(id));
    if (stateFaces.join() !== serviceFaces.join() || holdsRefused) disagree.push(userId);
  }
  console.log("\n   After the failure, the faces of each user:\n");
  console.log(table([["person", "in the stack's state", "in the service (ListFaces)"], ...rows], "     "));
  if (disagree.length > 0)
    throw new DemoError(
      `the stack's state and the service disagree about ${disagree.join(", ")}, or one holds the refused face: ` +
        "this is a bug in pulumi-rekognition-faces, please report it with the output above",
    );
  console.log(
    `\n   State and service agree, and the refused face${refused.length === 1 ? "" : "s"} (${shortIds(refused)}) ` +
      "belongs to no one:\n   the failed deployment recorded exactly what is associated.",
  );
}

/** The lines of pulumi's diagnostic for the failed UserFaceAssociation, dedented. */
function associationDiagnostic(output: string): string[] {
  const lines = output.replaceAll("\t", "  ").split("\n");
  const start = lines.findIndex((line) => /^\s+\S+:UserFaceAssociation \(.*\):$/.test(line));
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && line.trim() === "");
  const block = lines.slice(start, end < 0 ? undefined : end);
  const indent = Math.min(...block.map((line) => /^\s*/.exec(line)![0].length));
  return block.map((line) => line.slice(indent).trimEnd());
}

/** The sorted face IDs of each UserFaceAssociation in the state, by user. */
function associationsIn(resources: readonly StateResource[]): Record<string, string[]> {
  const byUser: Record<string, string[]> = {};
  for (const resource of resources) {
    if (!resource.type.endsWith(":UserFaceAssociation")) continue;
    const { userId, faceIds } = resource.outputs as { userId: string; faceIds: string[] };
    byUser[userId] = [...faceIds].sort();
  }
  return byUser;
}
