// What the resource engines seal and redact; ./secrets.ts adds the
// program-side half (sensitivityOf), which needs the Pulumi SDK.

/**
 * Which of a resource's inputs the program marked secret.
 *
 * The engine hands a dynamic provider plain values (its host does not accept
 * secrets), and marks an output secret only when the input of the same name
 * was. What this provider derives from a secret input under another name
 * (`faces` from `faceIds`, an ID from `userId`) would reach the state in the
 * clear. So the resource class tells the provider which inputs are secret,
 * and the provider seals what it derives from them.
 */
export interface Sensitivity {
  readonly faceIds: boolean;
  readonly userId: boolean;
}

export const notSensitive: Sensitivity = { faceIds: false, userId: false };

/** The inputs a Sensitivity marks secret, by name (its fields are named after them). */
export const secretInputs = (sensitive: Sensitivity = notSensitive): string[] =>
  Object.entries(sensitive)
    .filter(([, secret]) => secret === true)
    .map(([input]) => input);

// The wire form of a secret in Pulumi's property values (sdk/go/common/resource/properties.go).
const signatureKey = "4dabf18193072939515e22adb298388d";
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

/** A value the engine records as a secret. */
export function sealed<T>(value: T): T {
  return { [signatureKey]: secretSignature, value } as unknown as T;
}

/** Whether a value is a secret in that wire form. */
export function isSealed(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[signatureKey] === secretSignature
  );
}

export function isSensitivity(value: unknown): value is Sensitivity {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Sensitivity).faceIds === "boolean" &&
    typeof (value as Sensitivity).userId === "boolean"
  );
}

/** Seals the named properties of `props` that are present. */
export function sealProperties<T extends Record<string, unknown>>(props: T, keys: readonly string[]): T {
  const out: Record<string, unknown> = { ...props };
  for (const key of keys) if (out[key] !== undefined) out[key] = sealed(out[key]);
  return out as T;
}

/**
 * A message with every secret value in it replaced, so that an error about a
 * secret face or user does not print it.
 */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret !== "") out = out.split(secret).join("[secret]");
  return out;
}
