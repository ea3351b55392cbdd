// No-op dynamic resources with the same shape as User + UserFaceAssociation
// and the product's own provider shim (the implementation module resolved by
// name in the dynamic provider host), so the benchmark measures the engine's
// floor for resources built exactly like ours.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { providerShim } = require("pulumi-rekognition-faces/shim");

function floorResource(type) {
  return class extends pulumi.dynamic.Resource {
    constructor(name, args, opts) {
      super(
        providerShim("bench-floor/impl"),
        name,
        { ...args, userStatus: undefined },
        opts,
        "benchfloor",
        type,
      );
    }
  };
}

module.exports = {
  FloorUser: floorResource("User"),
  FloorAssociation: floorResource("Association"),
  /** The alternative shape: one resource holding every person of the roster. */
  FloorRoster: floorResource("Roster"),
};
