/**
 * How a resource came to be managed by a stack: created by it, or adopted
 * (it existed already and the program opted in with `adopt: true`). Pulumi's
 * `import` option does not reach dynamic providers, so adoption is an input.
 */
export type Origin = "created" | "adopted";

/**
 * Whether destroying the resource deletes the real thing. By default a stack
 * deletes what it created and leaves what it adopted; `deleteOnDestroy`
 * overrides either way.
 */
export function deletesOnDestroy(origin: Origin, deleteOnDestroy: boolean | undefined): boolean {
  return deleteOnDestroy ?? origin === "created";
}
