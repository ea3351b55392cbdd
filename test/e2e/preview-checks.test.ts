import { PNG } from "pngjs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generatePortrait } from "../../emulator/index.js";
import { callsSince, startLocalRekognition, type LocalRekognition } from "../harness/rekognition.js";
import { TestStack, stripAnsi, type OperationResult } from "../harness/stack.js";

const collectionId = "previews";
const faceId = "35ebbb41-7f67-4b4f-bfee-1a2b3c4d5e6f";

/** A program declaring one resource, its arguments read from JSON (as from a roster file): the
 * provider, not the TypeScript compiler, is what checks them. */
function program(resource: string, args: Record<string, unknown>): string {
  return [
    `import { ${resource} } from "pulumi-rekognition-faces";`,
    "",
    `new ${resource}("checked", JSON.parse(${JSON.stringify(JSON.stringify(args))}));`,
    "",
  ].join("\n");
}

/** What the user reads: the whole output of the command. */
const shown = (result: OperationResult): string => stripAnsi(`${result.stdout}\n${result.stderr}`);

// A stack frame as Node prints it: "    at planRoster (…/plan.ts:82:11)".
const stackFrame = /^\s+at .+[(:]/m;

describe("pulumi preview refuses careless input, saying what and where, and nothing more", () => {
  let local: LocalRekognition;
  let stack: TestStack;

  beforeAll(async () => {
    local = await startLocalRekognition();
    stack = await TestStack.create({
      name: "preview-checks",
      program: program("Collection", { collectionId }),
      config: local.config,
      env: local.env,
    });
    stack.writeFile("photos/notes.png", "Meeting notes: bring a photo of everyone.\n");
    stack.writeFile(
      "photos/anim.gif",
      Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64"),
    );
    stack.writeFile("photos/tiny.png", PNG.sync.write(new PNG({ width: 40, height: 40 })));
    const portrait = generatePortrait("alice", 1);
    stack.writeFile("photos/cut.png", portrait.subarray(0, Math.floor(portrait.length / 2)));
    stack.writeFile("photos/alice.png", portrait);
  });
  beforeEach(async () => local.emulator.control.resetCounters());
  afterAll(async () => {
    await stack?.dispose();
    await local?.stop();
  });

  const failedPreview = async (resource: string, args: Record<string, unknown>): Promise<string> => {
    stack.writeProgram(program(resource, args));
    const result = await stack.preview({ expectFailure: true });
    expect(await callsSince(local)).toEqual({});
    // A nested field's failure is the resource's: the engine never shows it as `value {<nil>}`.
    expect(shown(result)).not.toContain("<nil>");
    return shown(result);
  };

  describe("a malformed FaceRoster: the message naming each entry, no stack trace", () => {
    it("an invalid user ID, an empty list and a repeated entry", async () => {
      const output = await failedPreview("FaceRoster", {
        collectionId,
        people: {
          "carol smith": ["photos/alice.png"],
          dave: [],
          erin: ["photos/alice.png", "photos/alice.png"],
        },
      });
      expect(output).toContain("FaceRoster 'checked':");
      expect(output).toContain("people: the user ID 'carol smith' may contain only letters");
      expect(output).toContain("people.dave must be a non-empty list of photo paths");
      expect(output).toContain("people.erin[1] repeats 'photos/alice.png': remove the duplicate");
      expect(output).not.toMatch(stackFrame);
      expect(output).not.toContain("unhandled exception");
    });

    it("a misspelt input, named with the one meant", async () => {
      const output = await failedPreview("FaceRoster", {
        collectionId,
        peeple: { alice: ["photos/alice.png"] },
        exclusve: true,
      });
      expect(output).toContain(
        "FaceRoster 'checked': 'peeple' is not an input: did you mean 'people'? (the inputs: collectionId, people, " +
          "manifest, s3Prefix, exclusive, userMatchThreshold, adopt, deleteUsersOnDestroy, mode, shards): rename or remove it",
      );
      expect(output).toContain("FaceRoster 'checked': 'exclusve' is not an input: did you mean 'exclusive'?");
      expect(output).not.toMatch(stackFrame);
    });

    it("ignoreChanges, which Pulumi would apply to the component alone", async () => {
      stack.writeProgram(
        [
          'import { FaceRoster } from "pulumi-rekognition-faces";',
          `new FaceRoster("checked", { collectionId: "${collectionId}", people: { alice: ["photos/alice.png"] } }, { ignoreChanges: ["people"] });`,
          "",
        ].join("\n"),
      );
      const output = shown(await stack.preview({ expectFailure: true }));
      expect(output).toContain(
        "FaceRoster 'checked': ignoreChanges (people) would change nothing: Pulumi applies a component's " +
          "ignoreChanges to the component alone",
      );
      expect(output).not.toMatch(stackFrame);
      expect(await callsSince(local)).toEqual({});
    });

    it("people given as a list", async () => {
      const output = await failedPreview("FaceRoster", { collectionId, people: ["photos/alice.png"] });
      expect(output).toContain("FaceRoster 'checked': people must map each user ID to a list of photos");
      expect(output).not.toMatch(stackFrame);
      expect(output).not.toContain("unhandled exception");
    });
  });

  describe("a local photo IndexFaces would refuse: the field, the file and the fix", () => {
    const cases = [
      {
        label: "a text file named .png",
        file: "photos/notes.png",
        expected:
          /image\.path 'photos\/notes\.png' \(\/.*\/photos\/notes\.png\) is not an image: .*Rekognition takes JPEG or PNG/,
      },
      {
        label: "a GIF",
        file: "photos/anim.gif",
        expected:
          /image\.path 'photos\/anim\.gif' \(\/.*\/photos\/anim\.gif\) is a GIF image, but Rekognition takes only JPEG or PNG: convert it/,
      },
      {
        label: "a 40×40 PNG",
        file: "photos/tiny.png",
        expected:
          /image\.path 'photos\/tiny\.png' \(\/.*\/photos\/tiny\.png\) is 40×40 pixels, but Rekognition needs at least 80×80: use a larger photo/,
      },
      {
        label: "a truncated PNG",
        file: "photos/cut.png",
        expected:
          /image\.path 'photos\/cut\.png' \(\/.*\/photos\/cut\.png\) is a PNG cut short: .*copy or export the photo again/,
      },
    ];
    // One preview each: the engine stops at the first resource that fails its check.
    for (const { label, file, expected } of cases) {
      it(label, async () => {
        const output = await failedPreview("IndexedFace", { collectionId, image: { path: file } });
        expect(output).toMatch(expected);
      });
    }

    it("a real photo passes", async () => {
      stack.writeProgram(program("IndexedFace", { collectionId, image: { path: "photos/alice.png" } }));
      const result = await stack.preview();
      expect(result.changes).toMatchObject({ create: 2 }); // the stack and the face
      expect(await callsSince(local)).toEqual({});
    });
  });

  describe("an input the resource does not take: the key and the closest valid one", () => {
    const cases = [
      {
        resource: "UserFaceAssociation",
        args: { collectionId, userId: "alice", faceIds: [faceId], exclusve: true },
        expected: /'exclusve' is not an input: did you mean 'exclusive'\?/,
      },
      {
        resource: "IndexedFace",
        args: { collectionId, image: { path: "photos/alice.png" }, imagePath: "photos/alice.png" },
        expected: /'imagePath' is not an input: did you mean 'image'\?/,
      },
      {
        resource: "User",
        args: { collectionId, userId: "alice", deleteOnDestory: false },
        expected: /'deleteOnDestory' is not an input: did you mean 'deleteOnDestroy'\?/,
      },
      {
        resource: "Collection",
        args: { collectionId, tag: { team: "a" } },
        expected: /'tag' is not an input: did you mean 'tags'\?/,
      },
    ];
    for (const { resource, args, expected } of cases) {
      it(resource, async () => {
        expect(await failedPreview(resource, args)).toMatch(expected);
      });
    }
  });
});
