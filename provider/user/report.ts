/** Errors a User reports, each naming what to do. */

export function userExistsMessage(collectionId: string, userId: string): string {
  return (
    `user '${userId}' already exists in collection '${collectionId}': to manage it with this stack set ` +
    "adopt: true on the User (an adopted user is kept on destroy unless deleteOnDestroy: true), " +
    "or choose another userId"
  );
}

export function missingCollectionMessage(collectionId: string, userId: string): string {
  return (
    `collection '${collectionId}' does not exist, so user '${userId}' cannot be created in it: declare it ` +
    `(new Collection("${collectionId}", { collectionId: "${collectionId}" }), or aws.rekognition.Collection) ` +
    "and pass its collectionId output to the User"
  );
}
