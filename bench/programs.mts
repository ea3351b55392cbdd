// The stack programs: per person a User and a UserFaceAssociation (ours), or
// the same shape as no-op dynamic resources (the floor). Both read the roster
// from roster.json in the stack folder, so changing it needs no new program.

export const oursProgram = `import { readFileSync } from "node:fs";
import { User, UserFaceAssociation } from "pulumi-rekognition-faces";

const roster = JSON.parse(readFileSync("roster.json", "utf8")) as {
  collectionId: string;
  users: { userId: string; faceIds: string[] }[];
};
for (const person of roster.users) {
  const user = new User(person.userId, { collectionId: roster.collectionId, userId: person.userId });
  new UserFaceAssociation(\`\${person.userId}-faces\`, {
    collectionId: roster.collectionId,
    userId: user.userId,
    faceIds: person.faceIds,
  });
}
`;

export const floorProgram = `import { readFileSync } from "node:fs";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FloorUser, FloorAssociation } = require("bench-floor");

const roster = JSON.parse(readFileSync("roster.json", "utf8")) as {
  collectionId: string;
  users: { userId: string; faceIds: string[] }[];
};
for (const person of roster.users) {
  const user = new FloorUser(person.userId, { collectionId: roster.collectionId, userId: person.userId });
  new FloorAssociation(\`\${person.userId}-faces\`, {
    collectionId: roster.collectionId,
    userId: user.userId,
    faceIds: person.faceIds,
  });
}
`;

/** The alternative's floor: one no-op resource holding the whole roster. */
export const singleResourceFloorProgram = `import { readFileSync } from "node:fs";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FloorRoster } = require("bench-floor");

const roster = JSON.parse(readFileSync("roster.json", "utf8")) as {
  collectionId: string;
  users: { userId: string; faceIds: string[] }[];
};
new FloorRoster("roster", { collectionId: roster.collectionId, users: roster.users });
`;

/**
 * One per-resource FaceRoster (a User, an IndexedFace per photo and a
 * UserFaceAssociation per person) from people.csv, its collection from
 * roster.json: the same program for the dynamic provider
 * ("pulumi-rekognition-faces") and the provider plugin ("pulumi-rekognition-faces/plugin").
 */
export const faceRosterProgram = (from: string): string => `import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { FaceRoster } from "${from}";

const { collectionId } = JSON.parse(readFileSync("roster.json", "utf8")) as { collectionId: string };
const roster = new FaceRoster("roster", { collectionId, manifest: "people.csv" });
export const people = pulumi.output(roster.users).apply((users) => Object.keys(users).length);
`;
