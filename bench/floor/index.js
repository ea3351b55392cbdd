// No-op dynamic resources with the same shape as User + UserFaceAssociation,
// and the same provider shim (implementation module resolved by name in the
// dynamic provider host), so the benchmark can measure the engine's floor.
"use strict";
const pulumi = require("@pulumi/pulumi");

function providerShim(moduleName) {
  const load = () => require(moduleName).provider;
  return {
    configure: (req) => load().configure(req),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}

class FloorUser extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(
      providerShim("bench-floor/impl"),
      name,
      { ...args, userStatus: undefined },
      opts,
      "benchfloor",
      "User",
    );
  }
}

class FloorAssociation extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(
      providerShim("bench-floor/impl"),
      name,
      { ...args, userStatus: undefined },
      opts,
      "benchfloor",
      "Association",
    );
  }
}

/** The alternative shape: one resource holding every person of the roster. */
class FloorRoster extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(
      providerShim("bench-floor/impl"),
      name,
      { ...args, userStatus: undefined },
      opts,
      "benchfloor",
      "Roster",
    );
  }
}

module.exports = { FloorUser, FloorAssociation, FloorRoster };
