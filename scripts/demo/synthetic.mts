// The synthetic story (`npm run demo -- --synthetic`): generated portraits of
// three people on the fast synthetic face model, the root stack (index.ts).
import { readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { RekognitionClient, SearchUsersByImageCommand } from "@aws-sdk/client-rekognition";
import { DEFAULT_CREDENTIALS, DEFAULT_REGION, writeRosterPhotos } from "pulumi-rekognition-faces/emulator";
import { repoRoot } from "../local-pulumi.mts";
import { demoCommand, printRoster, type Paths, type RosterUser, type Story } from "./common.mts";
import { describeUp, type DemoStack } from "./stack.mts";

/** The people index.ts declares, three photos each. */
const people = ["ada", "grace", "linus"];
const photosPerPerson = 3;

async function deploy(stack: DemoStack, paths: Paths, endpoint: string): Promise<void> {
  writeRosterPhotos(paths.photoDir, people, photosPerPerson, 1);
  console.log(
    `Generated portraits of ${people.join(", ")} (${photosPerPerson} each, plus one unseen) are in ${paths.photoDir};\n` +
      "rekognition-local runs its synthetic face model, a fast stand-in (not a face recogniser) that reads the\n" +
      "colours each portrait is drawn with, so a person's portraits match at nearly 100%. Real photographs: `npm run demo`.",
  );

  await stack.configure(settings(paths, endpoint));
  console.log(`\nDeploying ada, grace and linus to ${endpoint} (pulumi up)`);
  const up = await stack.mustUp();
  console.log(`   ${describeUp(up.changes, "the roster")}`);

  const outputs = await stack.outputs<{ users: Record<string, RosterUser>; collectionArn: string }>();
  printRoster(outputs.users, outputs.collectionArn);
  await printProof(endpoint, paths.photoDir);
  console.log(
    `\nRun \`${demoCommand(synthetic)}\` again: nothing changes. ` +
      `Tear it down with \`${demoCommand(synthetic, "--destroy")}\`.`,
  );
}

function settings(paths: Paths, endpoint: string): Record<string, string> {
  return {
    "aws:region": DEFAULT_REGION,
    "aws:endpoints[0].rekognition": endpoint,
    photoDir: relative(repoRoot, paths.photoDir),
  };
}

export const synthetic: Story = {
  label: "synthetic",
  flag: "--synthetic",
  faceModel: "synthetic",
  stackName: "demo",
  programDir: repoRoot,
  dataDirName: ".rekognition-local",
  photoDirName: "photos",
  settings,
  deploy,
};

/** Searches with each person's unseen photo and prints whom it finds. */
async function printProof(endpoint: string, photoDir: string): Promise<void> {
  const client = new RekognitionClient({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { ...DEFAULT_CREDENTIALS },
  });
  console.log("\nThe proof: photos the collection has never seen, searched with SearchUsersByImage:\n");
  try {
    for (const person of people) {
      const photo = join(photoDir, `${person}-unseen-1.png`);
      const out = await client.send(
        new SearchUsersByImageCommand({
          CollectionId: "roster-demo",
          Image: { Bytes: readFileSync(photo) },
          MaxUsers: 1,
        }),
      );
      const best = out.UserMatches?.[0];
      const found = best?.User?.UserId;
      const verdict = found === person ? "the right person" : "the wrong person";
      const label = basename(photo).padEnd(20);
      console.log(
        found
          ? `  ${label} →  ${found.padEnd(6)} similarity ${best?.Similarity?.toFixed(1)}%  (${verdict})`
          : `  ${label} →  no match`,
      );
    }
  } finally {
    client.destroy();
  }
}
