/**
 * A failure after which the resource exists: the dynamic provider host turns
 * it into the engine's "resource initialization failed", which fails the
 * deployment and records `properties` as the resource's state. So the state
 * keeps the truth, and the next `pulumi up` starts from it.
 */
export class ResourceInitError extends Error {
  readonly reasons: string[];

  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ResourceInitError";
    this.reasons = [message];
  }
}
