import { collectionMissingMessage } from "../aws/rekognition.js";

/** Errors a User reports, each naming what to do. */

export function userExistsMessage(collectionId: string, userId: string): string {
  return (
    `user '${userId}' already exists in collection '${collectionId}'. If this stack created it under another ` +
    "resource name (you renamed this User, moved it into or out of a component, or renamed its FaceRoster), " +
    `add aliases: [{ name: "<old name>" }] (or parent) to this resource or to the component that declares it; ` +
    `the old name is the User with ID '${collectionId}/${userId}' that \`pulumi preview\` shows as deleted. ` +
    "Nothing is lost meanwhile. If it was created outside this stack, set adopt: true on the User (an adopted " +
    "user is kept on destroy unless deleteOnDestroy: true), or choose another userId"
  );
}

export function missingCollectionMessage(collectionId: string, userId: string): string {
  return collectionMissingMessage(collectionId, {
    blocked: `user '${userId}' cannot be created in it`,
    passTo: "the User",
  });
}

export function userStillDeclaredMessage(collectionId: string, userId: string): string {
  return (
    `user '${userId}' in collection '${collectionId}' was not deleted: a UserFaceAssociation of this stack still ` +
    "declares faces for it, and deleting the user would release them. Remove that association too (or keep the User)"
  );
}
