import type * as pulumi from "@pulumi/pulumi";
import { preloadSqliteQuietly } from "./serializer-warnings.js";

/**
 * Everything a resource implementation module exports as `provider`: all the
 * methods, so the shim never has to guess what the engine would do without one.
 */
export type ProviderImplementation = Required<
  Pick<
    pulumi.dynamic.ResourceProvider,
    "configure" | "check" | "diff" | "create" | "read" | "update" | "delete"
  >
>;

/**
 * The provider object that Pulumi serializes into every resource's state.
 *
 * It captures nothing but a module name, and loads the implementation at call
 * time with `require(moduleName)`, which the dynamic provider host resolves from
 * the program's folder. So the serialized provider stays a few hundred bytes,
 * holds no configuration or secret, and does not change when the
 * implementation does (an upgrade causes no spurious diffs).
 */
export function providerShim(moduleName: string): pulumi.dynamic.ResourceProvider {
  preloadSqliteQuietly();
  const load = (): ProviderImplementation =>
    (require(moduleName) as { provider: ProviderImplementation }).provider;
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

/** The package's own module name for an implementation under `dynamic/`. */
export function implementationModule(name: string): string {
  return `pulumi-rekognition-faces/dynamic/${name}`;
}
