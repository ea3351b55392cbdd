// The floor's implementation: every method returns at once, no I/O.
"use strict";

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

exports.provider = {
  async configure() {},
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff(_id, olds, news) {
    const replaces = ["collectionId", "userId"].filter((k) => !same(olds[k], news[k]));
    const changes = replaces.length > 0 || !same(olds.faceIds, news.faceIds) || !same(olds.users, news.users);
    return { changes, replaces, deleteBeforeReplace: true };
  },
  async create(inputs) {
    return {
      id: `${inputs.collectionId}/${inputs.userId ?? "roster"}`,
      outs: { ...inputs, userStatus: "ACTIVE" },
    };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, userStatus: "ACTIVE" } };
  },
  async delete() {},
};
