// The declarations this process checked, by digest. A shard's stored inputs
// show a line a person (./encoding.ts), so the engine marshals, logs and
// writes a few bytes a person instead of every photo, digest and face; the
// declaration itself goes from `check` to the diff, create or update that
// follows it in the same process, which the engine always runs after `check`.
import { createHash } from "node:crypto";
import type { ShardInputs } from "./model.js";

type People = ShardInputs["people"];

/** Enough for every shard of the largest roster, checked twice (a preview and an update). */
const kept = 1024;

const checked = new Map<string, People>();

/** Keeps a checked declaration for the steps that follow; returns the digest its stored inputs name it by. */
export function keepDeclaration(described: Readonly<Record<string, string>>, people: People): string {
  const hash = createHash("sha256");
  for (const userId of Object.keys(described).sort()) hash.update(`${userId}\n${described[userId]}\n`);
  const digest = hash.digest("hex");
  checked.delete(digest);
  checked.set(digest, people);
  // Oldest first: a long-lived process forgets what it checked long ago.
  for (const old of checked.keys()) {
    if (checked.size <= kept) break;
    checked.delete(old);
  }
  return digest;
}

/** Whether this process checked the declaration of that digest. */
export function isChecked(digest: string): boolean {
  return checked.has(digest);
}

export class DeclarationNotCheckedError extends Error {}

/** The declaration `check` kept under this digest. */
export function checkedDeclaration(digest: string, shard: string): People {
  const people = checked.get(digest);
  if (!people)
    throw new DeclarationNotCheckedError(
      `roster shard ${shard}: its declaration was not checked by this provider process ` +
        "(the engine runs check before every diff and update): run `pulumi up` again",
    );
  return people;
}
