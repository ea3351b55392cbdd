import type { RekognitionClient } from "@aws-sdk/client-rekognition";

/**
 * One value per (client, collection), for the life of the provider process
 * (one `pulumi` command): the shared reads and the ACTIVE poller keep theirs
 * here. Keyed weakly by client, so a client no longer used takes its entries
 * with it.
 */
export class PerCollection<T> {
  readonly #byClient = new WeakMap<RekognitionClient, Map<string, T>>();

  /** The client's entries, by collection ID. */
  of(client: RekognitionClient): Map<string, T> {
    let byCollection = this.#byClient.get(client);
    if (!byCollection) this.#byClient.set(client, (byCollection = new Map<string, T>()));
    return byCollection;
  }

  /** The entry of (client, collection), made by `create` on first use. */
  entry(client: RekognitionClient, collectionId: string, create: () => T): T {
    const byCollection = this.of(client);
    let value = byCollection.get(collectionId);
    if (value === undefined) byCollection.set(collectionId, (value = create()));
    return value;
  }
}
