import {
  createCollection,
  deleteCollection,
  describeCollection,
  listCollections,
  listTagsForResource,
  tagResource,
  untagResource,
} from "./collections.js";
import type { OperationContext } from "./context.js";
import { deleteFaces, indexFaces, listFaces } from "./faces.js";
import { searchFaces, searchFacesByImage, searchUsers, searchUsersByImage } from "./search.js";
import { associateFaces, createUser, deleteUser, disassociateFaces, listUsers } from "./users.js";
import type { Input } from "./validate.js";

export type { OperationContext } from "./context.js";

export type Operation = (ctx: OperationContext, input: Input) => unknown;

/** Every Rekognition operation the emulator serves, by its X-Amz-Target name. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateCollection: createCollection,
  DescribeCollection: describeCollection,
  ListCollections: listCollections,
  DeleteCollection: deleteCollection,
  IndexFaces: indexFaces,
  ListFaces: listFaces,
  DeleteFaces: deleteFaces,
  CreateUser: createUser,
  DeleteUser: deleteUser,
  ListUsers: listUsers,
  AssociateFaces: associateFaces,
  DisassociateFaces: disassociateFaces,
  SearchFaces: searchFaces,
  SearchFacesByImage: searchFacesByImage,
  SearchUsers: searchUsers,
  SearchUsersByImage: searchUsersByImage,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
