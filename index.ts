// The synthetic demo stack (`npm run demo -- --synthetic`): a collection and a
// roster of three people, each known from three generated portraits.
// scripts/demo.ts writes the photos and points the stack at rekognition-local;
// the same program runs against AWS.
import * as pulumi from "@pulumi/pulumi";
import { Collection, FaceRoster } from "pulumi-rekognition-faces";

const config = new pulumi.Config();
const photoDir = config.get("photoDir") ?? ".pulumi-local/photos";
const photos = (person: string): string[] => [1, 2, 3].map((n) => `${photoDir}/${person}-${n}.png`);

const collection = new Collection("roster-demo", { collectionId: "roster-demo" });

const roster = new FaceRoster("staff", {
  collectionId: collection.collectionId,
  people: {
    ada: photos("ada"),
    grace: photos("grace"),
    linus: photos("linus"),
  },
});

export const collectionArn = collection.arn;
export const users = roster.users;
