/** Errors a Collection reports, each naming what to do. */

export function collectionExistsMessage(collectionId: string): string {
  return (
    `collection '${collectionId}' already exists. If this stack created it under another resource name (you ` +
    'renamed this Collection or moved it into or out of a component), add aliases: [{ name: "<old name>" }] ' +
    `(or parent) to this resource; the old name is the Collection with ID '${collectionId}' that \`pulumi preview\` ` +
    "shows as deleted. Nothing is lost meanwhile. If it was created outside this stack, set adopt: true on the " +
    "Collection (an adopted collection is kept on destroy unless deleteOnDestroy: true), or choose another collectionId"
  );
}

/** A call the credentials may not make, named with the permission that allows it. */
export function deniedMessage(operation: string, collectionId: string, detail: string): string {
  return (
    `${operation} on collection '${collectionId}' was denied (${detail}): the collection is kept in the state. ` +
    `Grant the deploying credentials rekognition:${operation} on this collection, or deploy with credentials that have it`
  );
}
