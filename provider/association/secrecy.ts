// What of a UserFaceAssociation is secret (the inputs the program marked so,
// ../secrets.ts), and how its state and its messages keep it so.
import { isSensitivity, notSensitive, redact, sealProperties, type Sensitivity } from "../sealing.js";
import type { AssociationInputs, AssociationState } from "./model.js";

/** States written before sensitivity was recorded declare nothing secret. */
export function withSensitivity<T extends Pick<AssociationInputs, "sensitive">>(inputs: T): T {
  return isSensitivity(inputs.sensitive) ? inputs : { ...inputs, sensitive: notSensitive };
}

const faceBearing = ["faces", "faceIds", "observedFaces", "pendingFaces", "failedFaces"];

/** Marks as secret what derives from a secret input, and `failedFaces` when it names a secret holder. */
export function seal<T extends Record<string, unknown> | AssociationState>(
  props: T,
  sensitive: Sensitivity,
  secretHolder = false,
): T {
  const keys = [
    ...(sensitive.faceIds ? faceBearing : secretHolder ? ["failedFaces"] : []),
    ...(sensitive.userId ? ["userId"] : []),
  ];
  return sealProperties(props as Record<string, unknown>, keys) as T;
}

/** A message with every face ID (when the faces are secret) and the user ID (when secret) replaced. */
export function redacted(message: string, inputs: Pick<AssociationInputs, "sensitive" | "userId">): string {
  const faces = inputs.sensitive.faceIds
    ? message.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "[secret]")
    : message;
  return inputs.sensitive.userId ? redact(faces, [inputs.userId]) : faces;
}
