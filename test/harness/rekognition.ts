import {
  AssociateFacesCommand,
  CreateCollectionCommand,
  CreateUserCommand,
  IndexFacesCommand,
  ListFacesCommand,
  ListUsersCommand,
  RekognitionClient,
} from "@aws-sdk/client-rekognition";
import {
  generatePortrait,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../emulator/index.js";

/** A running rekognition-local, an SDK client for it, and the stack settings
 * that point a deployment at it. */
export interface LocalRekognition {
  readonly emulator: RunningEmulator;
  readonly client: RekognitionClient;
  /** Stack configuration: the keys @pulumi/aws uses. */
  readonly config: Record<string, string>;
  /** The same for the provider plugin: its own `rekognition-faces:` keys. */
  readonly pluginConfig: Record<string, string>;
  /** Environment for the deployment: credentials through the SDK's default chain. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** Nothing from the machine: no region or profile in the environment, no shared files, no instance metadata. */
export const noAmbientAws: Readonly<Record<string, string | undefined>> = {
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: "/nonexistent/aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
  AWS_EC2_METADATA_DISABLED: "true",
};

export async function startLocalRekognition(options: EmulatorOptions = {}): Promise<LocalRekognition> {
  const emulator = await startEmulator({ port: 0, ...options });
  const client = new RekognitionClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: emulator.credentials,
  });
  return {
    emulator,
    client,
    config: { "aws:region": emulator.region, "aws:endpoints[0].rekognition": emulator.endpoint },
    pluginConfig: {
      "rekognition-faces:region": emulator.region,
      "rekognition-faces:endpoints[0].rekognition": emulator.endpoint,
    },
    env: {
      AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
      AWS_REGION: emulator.region,
      AWS_EC2_METADATA_DISABLED: "true",
    },
    stop: async () => {
      client.destroy();
      await emulator.stop();
    },
  };
}

/** Creates a collection with users, and indexes `photos` faces per person. */
export async function seedRoster(
  local: LocalRekognition,
  collectionId: string,
  people: readonly string[],
  photos = 3,
  options: { createUsers?: boolean } = {},
): Promise<Record<string, string[]>> {
  const { client } = local;
  await client.send(new CreateCollectionCommand({ CollectionId: collectionId }));
  const faces: Record<string, string[]> = {};
  for (const person of people) {
    if (options.createUsers !== false) {
      await client.send(new CreateUserCommand({ CollectionId: collectionId, UserId: person }));
    }
    faces[person] = [];
    for (let photo = 1; photo <= photos; photo++) {
      const out = await client.send(
        new IndexFacesCommand({
          CollectionId: collectionId,
          Image: { Bytes: generatePortrait(person, photo) },
          ExternalImageId: `${person}-${photo}`,
          MaxFaces: 1,
        }),
      );
      const faceId = out.FaceRecords?.[0]?.Face?.FaceId;
      if (!faceId) throw new Error(`no face indexed for ${person} photo ${photo}`);
      faces[person].push(faceId);
    }
  }
  return faces;
}

/** The user IDs of a collection, sorted. */
export async function usersOf(local: LocalRekognition, collectionId: string): Promise<string[]> {
  const out = await local.client.send(new ListUsersCommand({ CollectionId: collectionId }));
  return (out.Users ?? []).map((u) => u.UserId!).sort();
}

/** The faces Rekognition says belong to the user, sorted. */
export async function facesOfUser(
  local: LocalRekognition,
  collectionId: string,
  userId: string,
): Promise<string[]> {
  const out = await local.client.send(
    new ListFacesCommand({ CollectionId: collectionId, UserId: userId, MaxResults: 4096 }),
  );
  return (out.Faces ?? []).map((f) => f.FaceId!).sort();
}

export async function associateOutOfBand(
  local: LocalRekognition,
  collectionId: string,
  userId: string,
  faceIds: string[],
): Promise<void> {
  await local.client.send(
    new AssociateFacesCommand({ CollectionId: collectionId, UserId: userId, FaceIds: faceIds }),
  );
}

/** Mutating calls by operation since the last reset, without zero entries. */
export async function callsSince(local: LocalRekognition): Promise<Record<string, number>> {
  const counters = await local.emulator.control.counters();
  await local.emulator.control.resetCounters();
  return Object.fromEntries(Object.entries(counters.byOperation).filter(([, n]) => n > 0));
}
