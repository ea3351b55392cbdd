import { isUnknown } from "../unknown.js";
import type { UserInputs, UserState } from "./model.js";

export interface UserDiff {
  readonly changes: boolean;
  readonly replaces: string[];
}

const identity = ["collectionId", "userId"] as const;

/**
 * Another collection or user ID is another user: replaced. `adopt` matters
 * only when the user is created; `deleteOnDestroy` is recorded without a call.
 */
export function diffUser(olds: UserState, news: UserInputs): UserDiff {
  const replaces = identity.filter((key) => isUnknown(news[key]) || olds[key] !== news[key]);
  if (replaces.length > 0) return { changes: true, replaces: [...replaces] };
  const secrecy = (olds.sensitive?.userId ?? false) !== (news.sensitive?.userId ?? false);
  return { changes: olds.deleteOnDestroy !== news.deleteOnDestroy || secrecy, replaces: [] };
}
