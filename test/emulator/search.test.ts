import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  IndexFacesCommand,
  SearchFacesByImageCommand,
  SearchFacesCommand,
  SearchUsersByImageCommand,
  SearchUsersCommand,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import type { RunningEmulator } from "../../emulator/index.js";
import { photo, sdkError, startWithClient } from "./helpers.js";

let emu: RunningEmulator;
let client: RekognitionClient;
const people = ["amara", "bilal", "chen", "dagny", "emeka"];
const faces: Record<string, string[]> = {};
const C = "search";

beforeAll(async () => {
  ({ emu, client } = await startWithClient());
  await client.send(new CreateCollectionCommand({ CollectionId: C }));
  for (const p of people) {
    faces[p] = [];
    for (let n = 1; n <= 3; n++) {
      const out = await client.send(
        new IndexFacesCommand({
          CollectionId: C,
          Image: { Bytes: photo(p, n) },
          ExternalImageId: `${p}-${n}`,
        }),
      );
      faces[p].push(out.FaceRecords![0]!.Face!.FaceId!);
    }
    await client.send(new CreateUserCommand({ CollectionId: C, UserId: p }));
    await client.send(new AssociateFacesCommand({ CollectionId: C, UserId: p, FaceIds: faces[p] }));
  }
  // A user with no faces is never a match.
  await client.send(new CreateUserCommand({ CollectionId: C, UserId: "empty" }));
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

describe("search", () => {
  test("SearchUsersByImage with an unseen photo finds that person first", async () => {
    for (const p of people) {
      const out = await client.send(
        new SearchUsersByImageCommand({ CollectionId: C, Image: { Bytes: photo(p, 500) } }),
      );
      expect(out.UserMatches![0]!.User).toEqual({ UserId: p, UserStatus: "ACTIVE" });
      expect(out.UserMatches![0]!.Similarity).toBeGreaterThanOrEqual(95);
      expect(out.UserMatches!.map((m) => m.User!.UserId)).toEqual([p]);
      expect(out.SearchedFace!.FaceDetail!.BoundingBox!.Width).toBeGreaterThan(0);
      expect(out.FaceModelVersion).toBe("7.0");
    }
  });

  test("SearchUsersByImage with no face returns no matches and no SearchedFace", async () => {
    const out = await client.send(
      new SearchUsersByImageCommand({ CollectionId: C, Image: { Bytes: photo("x", 1, 0) } }),
    );
    expect(out.UserMatches).toEqual([]);
    expect(out.SearchedFace).toBeUndefined();
  });

  test("SearchUsersByImage with two faces searches the largest and lists the other as unsearched", async () => {
    const out = await client.send(
      new SearchUsersByImageCommand({ CollectionId: C, Image: { Bytes: photo("amara", 9, 2) } }),
    );
    expect(out.UnsearchedFaces).toHaveLength(1);
    expect(out.UnsearchedFaces![0]!.Reasons).toEqual(["FACE_NOT_LARGEST"]);
  });

  test("SearchUsers by FaceId finds the face's owner; by UserId finds no one else", async () => {
    const byFace = await client.send(new SearchUsersCommand({ CollectionId: C, FaceId: faces.chen![0]! }));
    expect(byFace.UserMatches![0]!.User!.UserId).toBe("chen");
    expect(byFace.SearchedFace).toEqual({ FaceId: faces.chen![0] });
    const byUser = await client.send(new SearchUsersCommand({ CollectionId: C, UserId: "chen" }));
    expect(byUser.SearchedUser).toEqual({ UserId: "chen" });
    expect(byUser.UserMatches).toEqual([]);
    const loose = await client.send(
      new SearchUsersCommand({ CollectionId: C, UserId: "chen", UserMatchThreshold: 0, MaxUsers: 2 }),
    );
    expect(loose.UserMatches).toHaveLength(2);
    for (const m of loose.UserMatches!) {
      expect(m.Similarity).toBeGreaterThanOrEqual(0);
      expect(m.Similarity).toBeLessThanOrEqual(100);
    }
    expect(loose.UserMatches![0]!.Similarity).toBeGreaterThanOrEqual(loose.UserMatches![1]!.Similarity!);
  });

  test("SearchUsers needs exactly one of UserId and FaceId", async () => {
    const none = await sdkError(() => client.send(new SearchUsersCommand({ CollectionId: C })));
    expect(none.name).toBe("InvalidParameterException");
    expect(none.message).toMatch(/UserId|FaceId/);
    const both = await sdkError(() =>
      client.send(new SearchUsersCommand({ CollectionId: C, UserId: "chen", FaceId: faces.chen![0]! })),
    );
    expect(both.name).toBe("InvalidParameterException");
    const badMax = await sdkError(() =>
      client.send(new SearchUsersCommand({ CollectionId: C, UserId: "chen", MaxUsers: 501 })),
    );
    expect(badMax.message).toContain("MaxUsers");
    const badThreshold = await sdkError(() =>
      client.send(new SearchUsersCommand({ CollectionId: C, UserId: "chen", UserMatchThreshold: 100.5 })),
    );
    expect(badThreshold.message).toContain("UserMatchThreshold");
    const missingUser = await sdkError(() =>
      client.send(new SearchUsersCommand({ CollectionId: C, UserId: "nobody" })),
    );
    expect(missingUser.name).toBe("ResourceNotFoundException");
  });

  test("SearchFaces returns the person's other faces, most similar first, excluding itself", async () => {
    const out = await client.send(new SearchFacesCommand({ CollectionId: C, FaceId: faces.dagny![0]! }));
    expect(out.SearchedFaceId).toBe(faces.dagny![0]);
    expect(out.FaceMatches!.map((m) => m.Face!.FaceId).sort()).toEqual(faces.dagny!.slice(1).sort());
    expect(out.FaceMatches![0]!.Face!.UserId).toBe("dagny");
    expect(out.FaceMatches![0]!.Face!.ExternalImageId).toMatch(/^dagny-/);
    const capped = await client.send(
      new SearchFacesCommand({ CollectionId: C, FaceId: faces.dagny![0]!, MaxFaces: 1 }),
    );
    expect(capped.FaceMatches).toHaveLength(1);
  });

  test("SearchFacesByImage finds the person's faces; an image without a face is InvalidParameterException", async () => {
    const out = await client.send(
      new SearchFacesByImageCommand({ CollectionId: C, Image: { Bytes: photo("emeka", 77) } }),
    );
    expect(out.FaceMatches!.map((m) => m.Face!.FaceId).sort()).toEqual([...faces.emeka!].sort());
    expect(out.SearchedFaceBoundingBox!.Height).toBeGreaterThan(0);
    expect(out.SearchedFaceConfidence).toBeGreaterThan(99);
    const err = await sdkError(() =>
      client.send(new SearchFacesByImageCommand({ CollectionId: C, Image: { Bytes: photo("x", 1, 0) } })),
    );
    expect(err.name).toBe("InvalidParameterException");
    const threshold = await sdkError(() =>
      client.send(
        new SearchFacesByImageCommand({
          CollectionId: C,
          Image: { Bytes: photo("x", 1) },
          FaceMatchThreshold: 120,
        }),
      ),
    );
    expect(threshold.message).toContain("FaceMatchThreshold");
  });
});
