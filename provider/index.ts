export { UserFaceAssociation, type UserFaceAssociationArgs } from "./resources/user-face-association.js";
export type { FaceFailure } from "./association/model.js";
