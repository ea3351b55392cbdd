import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rekognitionClient } from "../../provider/aws/client.js";
import * as rekognition from "../../provider/aws/rekognition.js";
import { missingCollectionMessage } from "../../provider/user/report.js";
import { startLocalRekognition, type LocalRekognition } from "../harness/rekognition.js";

// The gateway's calls go to rekognition-local through the client every
// resource uses; what a user reads when a collection is missing is pinned
// word for word for each resource that says it.
describe("the Rekognition gateway", () => {
  let local: LocalRekognition;
  beforeAll(async () => {
    local = await startLocalRekognition();
  });
  afterAll(async () => {
    await local?.stop();
  });

  const client = () =>
    rekognitionClient({
      region: local.emulator.region,
      endpoint: local.emulator.endpoint,
      credentials: local.emulator.credentials,
      maxAttempts: 1,
      // rekognition-local here has no quota: unpaced.
      rateLimits: { default: 0 },
    });

  it("reads a collection that is gone as undefined, and rethrows any other error", async () => {
    expect(
      await rekognition.unlessNotFound(rekognition.describeCollection(client(), { CollectionId: "gone" })),
    ).toBe(undefined);
    await expect(
      rekognition.unlessNotFound(
        rekognition.describeCollection(client(), { CollectionId: "not a valid id!" }),
      ),
    ).rejects.toThrow(/CollectionId|validation|pattern/i);
  });

  it("lists every user of a collection across pages", async () => {
    await rekognition.createCollection(client(), { CollectionId: "paged" });
    const userIds = Array.from({ length: 520 }, (_, i) => `user-${String(i).padStart(3, "0")}`);
    for (const userId of userIds)
      await rekognition.createUser(client(), { CollectionId: "paged", UserId: userId });
    const listed: string[] = [];
    let pages = 0;
    for await (const page of rekognition.listUsersPages(client(), { CollectionId: "paged" })) {
      pages++;
      for (const user of page.Users ?? []) if (user.UserId) listed.push(user.UserId);
    }
    expect(listed.sort()).toEqual(userIds);
    expect(pages).toBe(2);
  });

  it("says what a missing collection blocks, how to declare it and where to pass its ID", () => {
    expect(missingCollectionMessage("faces", "alice")).toBe(
      `collection 'faces' does not exist, so user 'alice' cannot be created in it: declare it ` +
        `(new Collection("faces", { collectionId: "faces" }), or aws.rekognition.Collection) ` +
        "and pass its collectionId output to the User",
    );
    expect(rekognition.collectionMissingMessage("faces", { passTo: "this association" })).toBe(
      `collection 'faces' does not exist: declare it ` +
        `(new Collection("faces", { collectionId: "faces" }), or aws.rekognition.Collection) ` +
        "and pass its collectionId output to this association",
    );
  });
});
