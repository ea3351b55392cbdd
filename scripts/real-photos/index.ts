// The demo stack (`npm run demo`): two people known from real photographs.
// With `wrongPhoto` set, a photo of one person is also filed under the other,
// which the face model refuses (LOW_MATCH_CONFIDENCE).
import * as pulumi from "@pulumi/pulumi";
import { Collection, FaceRoster } from "pulumi-rekognition-faces";

const config = new pulumi.Config();
const photoDir = config.require("photoDir");
const wrongPhoto = config.getBoolean("wrongPhoto") ?? false;
const photo = (name: string) => `${photoDir}/${name}.jpg`;

const collection = new Collection("real-photos", { collectionId: "real-photos-demo" });

const roster = new FaceRoster("people", {
  collectionId: collection.collectionId,
  people: {
    obama: [photo("obama-1"), photo("obama-2"), ...(wrongPhoto ? [photo("biden-1")] : [])],
    biden: [photo("biden-1")],
  },
});

export const collectionArn = collection.arn;
export const users = roster.users;
