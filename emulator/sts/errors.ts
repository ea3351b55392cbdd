import { ServiceError } from "../protocol/errors.js";

/** STS's names for the signature failures the shared verifier reports in Rekognition's words. */
const SIGNATURE_CODES: Record<string, string> = {
  MissingAuthenticationTokenException: "MissingAuthenticationToken",
  IncompleteSignatureException: "IncompleteSignature",
  UnrecognizedClientException: "InvalidClientTokenId",
  ExpiredTokenException: "ExpiredToken",
  InvalidSignatureException: "SignatureDoesNotMatch",
};

/** The verifier's refusal in STS's code; STS answers every one of them 403. */
export function stsSignatureError(err: ServiceError): ServiceError {
  const code = SIGNATURE_CODES[err.code];
  return code ? new ServiceError(code, err.message, 403) : err;
}

export const validationError = (message: string) =>
  new ServiceError("ValidationError", `1 validation error detected: ${message}`, 400);

export const accessDenied = (message: string) => new ServiceError("AccessDenied", message, 403);
