// A face roster on Amazon Rekognition: the collection and the photo bucket
// from @pulumi/aws, the people and their faces from pulumi-rekognition-faces.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IndexedFace, User, UserFaceAssociation } from "pulumi-rekognition-faces";

const config = new pulumi.Config();
/** One folder per person, named after their user ID, holding their photos. */
const photoRoot = config.get("photoRoot") ?? "photos";
const collectionId = config.get("collectionId") ?? "roster-example";

const collection = new aws.rekognition.Collection("roster", {
  collectionId,
  tags: { purpose: "face-roster-example" },
});

const bucket = new aws.s3.Bucket("roster-photos", { forceDestroy: true });
new aws.s3.BucketPublicAccessBlock("roster-photos", {
  bucket: bucket.id,
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
});

if (!existsSync(photoRoot)) {
  throw new Error(
    `no photo folder at ${photoRoot}: add photos/<userId>/<photo>.jpg per person (see README.md)`,
  );
}

const isPhoto = (file: string): boolean => [".jpg", ".jpeg", ".png"].includes(extname(file).toLowerCase());
const people = readdirSync(photoRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory());

export const users: Record<string, pulumi.Output<{ faceIds: string[]; userStatus: string }>> = {};

for (const { name: person } of people) {
  const user = new User(person, { collectionId: collection.collectionId, userId: person });

  const faces = readdirSync(join(photoRoot, person))
    .filter(isPhoto)
    .map((file) => {
      const path = join(photoRoot, person, file);
      // The key carries the content's hash: a new photo under the same file
      // name is a new object, so its face is indexed anew.
      const digest = createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);
      const object = new aws.s3.BucketObjectv2(`${person}/${file}`, {
        bucket: bucket.id,
        key: `${person}/${digest}${extname(file).toLowerCase()}`,
        source: new pulumi.asset.FileAsset(path),
      });
      return new IndexedFace(
        `${person}/${file}`,
        {
          collectionId: collection.collectionId,
          image: { s3: { bucket: object.bucket, key: object.key } },
          externalImageId: person,
        },
        { dependsOn: [object] },
      );
    });

  const association = new UserFaceAssociation(
    person,
    { collectionId: collection.collectionId, userId: user.userId, faceIds: faces.map((face) => face.faceId) },
    { dependsOn: [user, ...faces] },
  );
  users[person] = pulumi
    .all([association.faceIds, association.userStatus])
    .apply(([faceIds, userStatus]) => ({
      faceIds,
      userStatus,
    }));
}

export const collectionArn = collection.arn;
export const photoBucket = bucket.id;
