/** Errors a Collection reports, each naming what to do. */

export function collectionExistsMessage(collectionId: string): string {
  return (
    `collection '${collectionId}' already exists: to manage it with this stack set adopt: true on the ` +
    "Collection (an adopted collection is kept on destroy unless deleteOnDestroy: true), or choose another collectionId"
  );
}
