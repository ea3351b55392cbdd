// The implementation behind StackIdentity (../resources/stack-identity.ts),
// loaded by name in the dynamic provider host (see ../shim.ts). It makes no
// call to any service: the identity lives only in the stack's state.
import { randomUUID } from "node:crypto";
import type { ProviderImplementation } from "../shim.js";

type Props = Record<string, unknown>;

export const provider: ProviderImplementation = {
  async configure() {},

  async check(_olds: Props, news: Props) {
    return { inputs: { ...news } };
  },

  // The identity never changes: a new one would disown what the stack made.
  async diff() {
    return { changes: false };
  },

  async create() {
    const stackId = randomUUID();
    return { id: stackId, outs: { stackId } };
  },

  async read(id, props: Props) {
    return { id, props };
  },

  async update(_id, olds: Props) {
    return { outs: olds };
  },

  // Nothing to delete: the resources that used the identity went first.
  async delete() {},
};
