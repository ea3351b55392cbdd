import { ServiceError } from "../protocol/errors.js";

/** STS's names for the signature failures the shared verifier reports in Rekognition's words. */
const SIGNATURE_CODES: Record<string, string> = {
  MissingAuthenticationTokenException: "MissingAuthenticationToken",
  IncompleteSignatureException: "IncompleteSignature",
  UnrecognizedClientException: "InvalidClientTokenId",
  InvalidSignatureException: "SignatureDoesNotMatch",
};

export function stsSignatureError(err: ServiceError): ServiceError {
  const code = SIGNATURE_CODES[err.code];
  if (!code) return err;
  // STS words an unknown key this way; the others keep the verifier's message.
  const message =
    code === "InvalidClientTokenId" ? "The security token included in the request is invalid." : err.message;
  return new ServiceError(code, message, 403);
}

export const validationError = (message: string) =>
  new ServiceError("ValidationError", `1 validation error detected: ${message}`, 400);

export const accessDenied = (message: string) => new ServiceError("AccessDenied", message, 403);
