import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  DeleteCollectionCommand,
  DeleteUserCommand,
  DescribeCollectionCommand,
  DisassociateFacesCommand,
  IndexFacesCommand,
  ListFacesCommand,
  ListUsersCommand,
  paginateListUsers,
  type RekognitionClient,
} from "@aws-sdk/client-rekognition";
import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { clientFor, photo, sdkError, startWithClient } from "./helpers.js";

let emu: RunningEmulator;
let client: RekognitionClient;
let seq = 0;

beforeAll(async () => {
  ({ emu, client } = await startWithClient());
});
afterAll(async () => {
  client.destroy();
  await emu.stop();
});

/** A fresh collection with `faces` indexed photos of each named person. */
async function collectionWith(people: Record<string, number>, c: RekognitionClient = client) {
  const id = `users-${++seq}`;
  await c.send(new CreateCollectionCommand({ CollectionId: id }));
  const faces: Record<string, string[]> = {};
  for (const [person, count] of Object.entries(people)) {
    faces[person] = [];
    for (let n = 1; n <= count; n++) {
      const out = await c.send(
        new IndexFacesCommand({ CollectionId: id, Image: { Bytes: photo(person, n) } }),
      );
      faces[person].push(out.FaceRecords![0]!.Face!.FaceId!);
    }
  }
  return { id, faces };
}

describe("CreateUser, ListUsers, DeleteUser", () => {
  test("a new user is CREATED; creating it again is ConflictException", async () => {
    const { id } = await collectionWith({});
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "u:1" }));
    const list = await client.send(new ListUsersCommand({ CollectionId: id }));
    expect(list.Users).toEqual([{ UserId: "u:1", UserStatus: "CREATED" }]);
    const err = await sdkError(() => client.send(new CreateUserCommand({ CollectionId: id, UserId: "u:1" })));
    expect(err.name).toBe("ConflictException");
  });

  test("users in a missing collection: ResourceNotFoundException", async () => {
    const err = await sdkError(() =>
      client.send(new CreateUserCommand({ CollectionId: "missing", UserId: "u" })),
    );
    expect(err.name).toBe("ResourceNotFoundException");
  });

  test.each([
    ["", "UserId"],
    ["bad user", "UserId"],
    ["x".repeat(129), "UserId"],
  ])("invalid user id %j names %s", async (UserId, field) => {
    const { id } = await collectionWith({});
    const err = await sdkError(() => client.send(new CreateUserCommand({ CollectionId: id, UserId })));
    expect(err.name).toBe("InvalidParameterException");
    expect(err.message).toContain(field);
  });

  test("an invalid ClientRequestToken names the field", async () => {
    const { id } = await collectionWith({});
    for (const token of ["has space", "x".repeat(65)]) {
      const err = await sdkError(() =>
        client.send(new CreateUserCommand({ CollectionId: id, UserId: "u", ClientRequestToken: token })),
      );
      expect(err.name).toBe("InvalidParameterException");
      expect(err.message).toContain("ClientRequestToken");
    }
  });

  test("ListUsers pages through every user with the paginator", async () => {
    const { id } = await collectionWith({});
    const names = Array.from({ length: 11 }, (_, i) => `user-${String(i).padStart(2, "0")}`);
    for (const UserId of names) await client.send(new CreateUserCommand({ CollectionId: id, UserId }));
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListUsers({ client, pageSize: 4 }, { CollectionId: id })) {
      pages++;
      expect(page.Users!.length).toBeLessThanOrEqual(4);
      seen.push(...page.Users!.map((u) => u.UserId!));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
  });

  test("ListUsers MaxResults outside 1-500 names the field", async () => {
    const { id } = await collectionWith({});
    for (const MaxResults of [0, 501]) {
      const err = await sdkError(() => client.send(new ListUsersCommand({ CollectionId: id, MaxResults })));
      expect(err.message).toContain("MaxResults");
    }
  });

  test("DeleteUser releases the user's faces, which stay in the collection", async () => {
    const { id, faces } = await collectionWith({ fay: 2 });
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "fay" }));
    await client.send(new AssociateFacesCommand({ CollectionId: id, UserId: "fay", FaceIds: faces.fay }));
    await client.send(new DeleteUserCommand({ CollectionId: id, UserId: "fay" }));
    const listed = await client.send(new ListFacesCommand({ CollectionId: id }));
    expect(listed.Faces).toHaveLength(2);
    expect(listed.Faces!.every((f) => f.UserId === undefined)).toBe(true);
    expect((await client.send(new ListUsersCommand({ CollectionId: id }))).Users).toEqual([]);
    const again = await sdkError(() =>
      client.send(new DeleteUserCommand({ CollectionId: id, UserId: "fay" })),
    );
    expect(again.name).toBe("ResourceNotFoundException");
  });

  test("DeleteCollection removes its faces and users", async () => {
    const { id, faces } = await collectionWith({ gus: 1 });
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "gus" }));
    await client.send(new AssociateFacesCommand({ CollectionId: id, UserId: "gus", FaceIds: faces.gus }));
    await client.send(new DeleteCollectionCommand({ CollectionId: id }));
    await client.send(new CreateCollectionCommand({ CollectionId: id }));
    const d = await client.send(new DescribeCollectionCommand({ CollectionId: id }));
    expect([d.FaceCount, d.UserCount]).toEqual([0, 0]);
  });
});

describe("AssociateFaces", () => {
  test("associates faces; a face already the user's is in neither list", async () => {
    const { id, faces } = await collectionWith({ ann: 3 });
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "ann" }));
    const first = await client.send(
      new AssociateFacesCommand({ CollectionId: id, UserId: "ann", FaceIds: faces.ann!.slice(0, 2) }),
    );
    expect(first.AssociatedFaces!.map((f) => f.FaceId).sort()).toEqual(faces.ann!.slice(0, 2).sort());
    expect(first.UnsuccessfulFaceAssociations).toEqual([]);
    expect(first.UserStatus).toBe("ACTIVE");
    const second = await client.send(
      new AssociateFacesCommand({ CollectionId: id, UserId: "ann", FaceIds: faces.ann }),
    );
    expect(second.AssociatedFaces).toEqual([{ FaceId: faces.ann![2] }]);
    expect(second.UnsuccessfulFaceAssociations).toEqual([]);
  });

  test("reports FACE_NOT_FOUND, ASSOCIATED_TO_A_DIFFERENT_USER with the owner, LOW_MATCH_CONFIDENCE with the similarity", async () => {
    const { id, faces } = await collectionWith({ ben: 2, cat: 1, dan: 1 });
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "ben" }));
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "cat" }));
    await client.send(new AssociateFacesCommand({ CollectionId: id, UserId: "cat", FaceIds: faces.cat }));
    await client.send(
      new AssociateFacesCommand({ CollectionId: id, UserId: "ben", FaceIds: [faces.ben![0]!] }),
    );
    const missing = "0badf00d-0000-4000-8000-000000000000";
    const out = await client.send(
      new AssociateFacesCommand({
        CollectionId: id,
        UserId: "ben",
        FaceIds: [faces.ben![1]!, missing, faces.cat![0]!, faces.dan![0]!],
      }),
    );
    expect(out.AssociatedFaces).toEqual([{ FaceId: faces.ben![1] }]);
    const byId = Object.fromEntries(out.UnsuccessfulFaceAssociations!.map((u) => [u.FaceId, u]));
    expect(byId[missing]).toEqual({ FaceId: missing, Reasons: ["FACE_NOT_FOUND"] });
    expect(byId[faces.cat![0]!]).toEqual({
      FaceId: faces.cat![0],
      UserId: "cat",
      Reasons: ["ASSOCIATED_TO_A_DIFFERENT_USER"],
    });
    const low = byId[faces.dan![0]!]!;
    expect(low.Reasons).toEqual(["LOW_MATCH_CONFIDENCE"]);
    expect(low.Confidence).toBeGreaterThanOrEqual(0);
    expect(low.Confidence).toBeLessThan(75);
  });

  test("UserMatchThreshold 0 accepts a different person; it only applies once the user has a face", async () => {
    const { id, faces } = await collectionWith({ eve: 1, fox: 1, gil: 1 });
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "eve" }));
    // No face yet: anyone goes in.
    const first = await client.send(
      new AssociateFacesCommand({
        CollectionId: id,
        UserId: "eve",
        FaceIds: faces.fox,
        UserMatchThreshold: 100,
      }),
    );
    expect(first.AssociatedFaces).toHaveLength(1);
    const loose = await client.send(
      new AssociateFacesCommand({
        CollectionId: id,
        UserId: "eve",
        FaceIds: faces.gil,
        UserMatchThreshold: 0,
      }),
    );
    expect(loose.AssociatedFaces).toHaveLength(1);
  });

  test("UserStatus is UPDATING for the configured window, then ACTIVE; CREATED again once all faces are removed", async () => {
    const slow = await startEmulator({ port: 0, updatingWindowMs: 300 });
    const c = clientFor(slow);
    try {
      const { id, faces } = await collectionWith({ hal: 1 }, c);
      await c.send(new CreateUserCommand({ CollectionId: id, UserId: "hal" }));
      const out = await c.send(
        new AssociateFacesCommand({ CollectionId: id, UserId: "hal", FaceIds: faces.hal }),
      );
      expect(out.UserStatus).toBe("UPDATING");
      expect((await c.send(new ListUsersCommand({ CollectionId: id }))).Users![0]!.UserStatus).toBe(
        "UPDATING",
      );
      await new Promise((r) => setTimeout(r, 350));
      expect((await c.send(new ListUsersCommand({ CollectionId: id }))).Users![0]!.UserStatus).toBe("ACTIVE");
      const removed = await c.send(
        new DisassociateFacesCommand({ CollectionId: id, UserId: "hal", FaceIds: faces.hal }),
      );
      expect(removed.UserStatus).toBe("UPDATING");
      await new Promise((r) => setTimeout(r, 350));
      expect((await c.send(new ListUsersCommand({ CollectionId: id }))).Users![0]!.UserStatus).toBe(
        "CREATED",
      );
    } finally {
      c.destroy();
      await slow.stop();
    }
  });

  test("a user is capped at 100 faces: a call that would pass it fails with ServiceQuotaExceededException and associates nothing", async () => {
    const { id } = await collectionWith({});
    const ids: string[] = [];
    for (let n = 1; n <= 102; n++) {
      const out = await client.send(
        new IndexFacesCommand({ CollectionId: id, Image: { Bytes: photo("ivy", n) } }),
      );
      ids.push(out.FaceRecords![0]!.Face!.FaceId!);
    }
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "ivy" }));
    await client.send(
      new AssociateFacesCommand({ CollectionId: id, UserId: "ivy", FaceIds: ids.slice(0, 99) }),
    );
    const over = await sdkError(() =>
      client.send(
        new AssociateFacesCommand({ CollectionId: id, UserId: "ivy", FaceIds: ids.slice(99, 101) }),
      ),
    );
    expect(over.name).toBe("ServiceQuotaExceededException");
    expect((await client.send(new ListFacesCommand({ CollectionId: id, UserId: "ivy" }))).Faces).toHaveLength(
      99,
    );
    await client.send(new AssociateFacesCommand({ CollectionId: id, UserId: "ivy", FaceIds: [ids[99]!] }));
    const full = await sdkError(() =>
      client.send(new AssociateFacesCommand({ CollectionId: id, UserId: "ivy", FaceIds: [ids[100]!] })),
    );
    expect(full.name).toBe("ServiceQuotaExceededException");
  });

  test("missing user or collection: ResourceNotFoundException", async () => {
    const { id, faces } = await collectionWith({ jo: 1 });
    for (const [CollectionId, UserId] of [
      [id, "nobody"],
      ["no-collection", "jo"],
    ] as const) {
      const a = await sdkError(() =>
        client.send(new AssociateFacesCommand({ CollectionId, UserId, FaceIds: faces.jo })),
      );
      expect(a.name).toBe("ResourceNotFoundException");
      const d = await sdkError(() =>
        client.send(new DisassociateFacesCommand({ CollectionId, UserId, FaceIds: faces.jo })),
      );
      expect(d.name).toBe("ResourceNotFoundException");
    }
  });

  test("FaceIds must hold 1 to 100 well-formed ids; UserMatchThreshold 0-100", async () => {
    const { id, faces } = await collectionWith({ kim: 1 });
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "kim" }));
    const cases: [Record<string, unknown>, string][] = [
      [{ FaceIds: [] }, "FaceIds"],
      [{ FaceIds: Array.from({ length: 101 }, () => faces.kim![0]!) }, "FaceIds"],
      [{ FaceIds: ["ABCDEF00-0000-0000-0000-000000000000"] }, "FaceIds"],
      [{ FaceIds: faces.kim, UserMatchThreshold: 101 }, "UserMatchThreshold"],
      [{ FaceIds: faces.kim, UserMatchThreshold: -1 }, "UserMatchThreshold"],
    ];
    for (const [extra, field] of cases) {
      const err = await sdkError(() =>
        client.send(new AssociateFacesCommand({ CollectionId: id, UserId: "kim", FaceIds: [], ...extra })),
      );
      expect(err.name).toBe("InvalidParameterException");
      expect(err.message).toContain(field);
    }
    for (const FaceIds of [[], Array.from({ length: 101 }, () => faces.kim![0]!)]) {
      const err = await sdkError(() =>
        client.send(new DisassociateFacesCommand({ CollectionId: id, UserId: "kim", FaceIds })),
      );
      expect(err.message).toContain("FaceIds");
    }
  });

  test("reproduces the developer guide's sample response, including an operator-forced unknown reason", async () => {
    const sample = await startEmulator({ port: 0, updatingWindowMs: 2000 });
    const c = clientFor(sample);
    try {
      const { id, faces } = await collectionWith({ demo: 2, stranger: 1, other: 1 }, c);
      await c.send(new CreateUserCommand({ CollectionId: id, UserId: "DemoUser" }));
      await c.send(new CreateUserCommand({ CollectionId: id, UserId: "demoUser2" }));
      await c.send(
        new AssociateFacesCommand({ CollectionId: id, UserId: "DemoUser", FaceIds: [faces.demo![0]!] }),
      );
      await c.send(
        new AssociateFacesCommand({ CollectionId: id, UserId: "demoUser2", FaceIds: faces.other }),
      );
      await sample.control.setFaceReasons({ [faces.other![0]!]: "ASSOCIATED_TO_A_DIFFERENT_IDENTITY" });
      const out = await c.send(
        new AssociateFacesCommand({
          CollectionId: id,
          UserId: "DemoUser",
          FaceIds: [faces.stranger![0]!, faces.other![0]!, faces.demo![1]!],
          UserMatchThreshold: 70,
          ClientRequestToken: "550e8400-e29b-41d4-a716-446655440002",
        }),
      );
      expect(out.AssociatedFaces).toEqual([{ FaceId: faces.demo![1] }]);
      expect(out.UserStatus).toBe("UPDATING");
      expect(out.UnsuccessfulFaceAssociations).toEqual([
        { FaceId: faces.stranger![0], Confidence: expect.any(Number), Reasons: ["LOW_MATCH_CONFIDENCE"] },
        { FaceId: faces.other![0], UserId: "demoUser2", Reasons: ["ASSOCIATED_TO_A_DIFFERENT_IDENTITY"] },
      ]);
      await sample.control.setFaceReasons({});
    } finally {
      c.destroy();
      await sample.stop();
    }
  });
});

describe("DisassociateFaces", () => {
  test("removes the user's faces, reports others' and unknown faces, ignores free faces", async () => {
    const { id, faces } = await collectionWith({ lou: 2, max: 1, ned: 1 });
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "lou" }));
    await client.send(new CreateUserCommand({ CollectionId: id, UserId: "max" }));
    await client.send(new AssociateFacesCommand({ CollectionId: id, UserId: "lou", FaceIds: faces.lou }));
    await client.send(new AssociateFacesCommand({ CollectionId: id, UserId: "max", FaceIds: faces.max }));
    const missing = "0badf00d-0000-4000-8000-000000000001";
    const out = await client.send(
      new DisassociateFacesCommand({
        CollectionId: id,
        UserId: "lou",
        FaceIds: [faces.lou![0]!, faces.max![0]!, faces.ned![0]!, missing],
      }),
    );
    expect(out.DisassociatedFaces).toEqual([{ FaceId: faces.lou![0] }]);
    expect(out.UnsuccessfulFaceDisassociations).toEqual([
      { FaceId: faces.max![0], UserId: "max", Reasons: ["ASSOCIATED_TO_A_DIFFERENT_USER"] },
      { FaceId: missing, Reasons: ["FACE_NOT_FOUND"] },
    ]);
    expect(out.UserStatus).toBe("ACTIVE");
    const left = await client.send(new ListFacesCommand({ CollectionId: id, UserId: "lou" }));
    expect(left.Faces!.map((f) => f.FaceId)).toEqual([faces.lou![1]]);
  });
});

describe("the user status cycle", () => {
  const WINDOW_MS = 250;
  const settle = () => new Promise((r) => setTimeout(r, WINDOW_MS + 100));

  test("CREATED, UPDATING, ACTIVE, UPDATING, CREATED: each response agrees with ListUsers", async () => {
    const slow = await startEmulator({ port: 0, updatingWindowMs: WINDOW_MS });
    const c = clientFor(slow);
    try {
      const { id, faces } = await collectionWith({ ida: 2 }, c);
      const listed = async () =>
        (await c.send(new ListUsersCommand({ CollectionId: id }))).Users!.map((u) => u.UserStatus);
      const call = { CollectionId: id, UserId: "ida" };
      await c.send(new CreateUserCommand(call));
      expect(await listed()).toEqual(["CREATED"]);

      // A call that changes nothing keeps CREATED and starts no window.
      const refused = await c.send(
        new AssociateFacesCommand({ ...call, FaceIds: ["0badf00d-0000-4000-8000-000000000002"] }),
      );
      expect(refused.UserStatus).toBe("CREATED");
      expect(await listed()).toEqual(["CREATED"]);

      const first = await c.send(new AssociateFacesCommand({ ...call, FaceIds: faces.ida }));
      expect([first.UserStatus, ...(await listed())]).toEqual(["UPDATING", "UPDATING"]);
      // Within the window, a call that changes nothing reports the status as it is.
      const same = await c.send(new AssociateFacesCommand({ ...call, FaceIds: faces.ida }));
      expect(same.UserStatus).toBe("UPDATING");
      await settle();
      const settled = await c.send(new AssociateFacesCommand({ ...call, FaceIds: faces.ida }));
      expect([settled.UserStatus, ...(await listed())]).toEqual(["ACTIVE", "ACTIVE"]);

      // Removing some faces: UPDATING, then ACTIVE, as faces remain.
      const some = await c.send(new DisassociateFacesCommand({ ...call, FaceIds: [faces.ida![0]!] }));
      expect([some.UserStatus, ...(await listed())]).toEqual(["UPDATING", "UPDATING"]);
      await settle();
      expect(await listed()).toEqual(["ACTIVE"]);

      // Removing the last: UPDATING, then CREATED again.
      const last = await c.send(new DisassociateFacesCommand({ ...call, FaceIds: faces.ida }));
      expect([last.UserStatus, ...(await listed())]).toEqual(["UPDATING", "UPDATING"]);
      await settle();
      const after = await c.send(new DisassociateFacesCommand({ ...call, FaceIds: faces.ida }));
      expect([after.UserStatus, ...(await listed())]).toEqual(["CREATED", "CREATED"]);
    } finally {
      c.destroy();
      await slow.stop();
    }
  });

  test("without an updating window, a change reports its settled status at once", async () => {
    const { id, faces } = await collectionWith({ jan: 1 });
    const call = { CollectionId: id, UserId: "jan" };
    await client.send(new CreateUserCommand(call));
    const added = await client.send(new AssociateFacesCommand({ ...call, FaceIds: faces.jan }));
    const listedAfterAdd = (await client.send(new ListUsersCommand({ CollectionId: id }))).Users;
    expect([added.UserStatus, listedAfterAdd![0]!.UserStatus]).toEqual(["ACTIVE", "ACTIVE"]);
    const removed = await client.send(new DisassociateFacesCommand({ ...call, FaceIds: faces.jan }));
    const listedAfterRemove = (await client.send(new ListUsersCommand({ CollectionId: id }))).Users;
    expect([removed.UserStatus, listedAfterRemove![0]!.UserStatus]).toEqual(["CREATED", "CREATED"]);
  });
});

describe("ClientRequestToken idempotency", () => {
  test("the same token and parameters replay the response without a second effect", async () => {
    const { id, faces } = await collectionWith({ oz: 2 });
    const create = { CollectionId: id, UserId: "oz", ClientRequestToken: "create-oz" };
    await client.send(new CreateUserCommand(create));
    await client.send(new CreateUserCommand(create)); // not a ConflictException: a replay
    const assoc = { CollectionId: id, UserId: "oz", FaceIds: faces.oz, ClientRequestToken: "assoc-oz" };
    const first = await client.send(new AssociateFacesCommand(assoc));
    // Change the state under the token, then replay: the stored response comes back.
    await client.send(new DisassociateFacesCommand({ CollectionId: id, UserId: "oz", FaceIds: faces.oz }));
    const replay = await client.send(new AssociateFacesCommand(assoc));
    expect(replay.AssociatedFaces).toEqual(first.AssociatedFaces);
    expect((await client.send(new ListFacesCommand({ CollectionId: id, UserId: "oz" }))).Faces).toEqual([]);
    const del = { CollectionId: id, UserId: "oz", ClientRequestToken: "delete-oz" };
    await client.send(new DeleteUserCommand(del));
    await client.send(new DeleteUserCommand(del)); // not a ResourceNotFoundException: a replay
  });

  test("the same token with other parameters is IdempotentParameterMismatchException", async () => {
    const { id, faces } = await collectionWith({ pam: 2 });
    await client.send(
      new CreateUserCommand({ CollectionId: id, UserId: "pam", ClientRequestToken: "tok-1" }),
    );
    const err = await sdkError(() =>
      client.send(new CreateUserCommand({ CollectionId: id, UserId: "pam2", ClientRequestToken: "tok-1" })),
    );
    expect(err.name).toBe("IdempotentParameterMismatchException");
    await client.send(
      new AssociateFacesCommand({
        CollectionId: id,
        UserId: "pam",
        FaceIds: [faces.pam![0]!],
        ClientRequestToken: "tok-2",
      }),
    );
    const mismatch = await sdkError(() =>
      client.send(
        new AssociateFacesCommand({
          CollectionId: id,
          UserId: "pam",
          FaceIds: [faces.pam![1]!],
          ClientRequestToken: "tok-2",
        }),
      ),
    );
    expect(mismatch.name).toBe("IdempotentParameterMismatchException");
    const dis = await sdkError(() =>
      client
        .send(
          new DisassociateFacesCommand({
            CollectionId: id,
            UserId: "pam",
            FaceIds: [faces.pam![0]!],
            ClientRequestToken: "tok-3",
          }),
        )
        .then(() =>
          client.send(
            new DisassociateFacesCommand({
              CollectionId: id,
              UserId: "pam",
              FaceIds: [faces.pam![1]!],
              ClientRequestToken: "tok-3",
            }),
          ),
        ),
    );
    expect(dis.name).toBe("IdempotentParameterMismatchException");
  });
});
