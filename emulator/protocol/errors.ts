/** An error the service answers with: an AWS error code, an HTTP status and a message. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const clientError = (code: string, message: string) => new ServiceError(code, message, 400);

export interface EncodedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The JSON 1.1 error encoding Rekognition uses: `__type` and `Code`, both message spellings, and a Logref. */
export function encodeError(err: ServiceError, requestId: string): EncodedError {
  return {
    status: err.status,
    headers: { "x-amzn-ErrorType": err.code },
    body: JSON.stringify({
      __type: err.code,
      Code: err.code,
      Logref: requestId,
      Message: err.message,
      message: err.message,
    }),
  };
}

/** A service error for anything unexpected, so no stack trace ever reaches a client. */
export function internalError(): ServiceError {
  return new ServiceError(
    "InternalServerError",
    "Amazon Rekognition experienced a service issue. Try your call again.",
    500,
  );
}
