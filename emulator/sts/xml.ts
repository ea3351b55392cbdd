import type { ServiceError } from "../protocol/errors.js";

const NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

export type XmlValue = string | number | XmlFields | undefined;
export interface XmlFields {
  readonly [name: string]: XmlValue;
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", "'": "apos", '"': "quot" }[c]!};`,
  );
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return "";
  const inner =
    typeof value === "object"
      ? Object.entries(value)
          .map(([k, v]) => element(k, v))
          .join("")
      : escapeXml(String(value));
  return `<${name}>${inner}</${name}>`;
}

/** A query-protocol answer: `<{Action}Response><{Action}Result>…</…><ResponseMetadata>`. */
export function encodeResult(action: string, result: XmlFields, requestId: string): string {
  return (
    `<${action}Response xmlns="${NAMESPACE}">` +
    element(`${action}Result`, result) +
    element("ResponseMetadata", { RequestId: requestId }) +
    `</${action}Response>\n`
  );
}

/** STS's error document: a 4xx is the sender's fault, the rest the receiver's. */
export function encodeStsError(err: ServiceError, requestId: string): string {
  const type = err.status < 500 ? "Sender" : "Receiver";
  return (
    `<ErrorResponse xmlns="${NAMESPACE}">` +
    element("Error", { Type: type, Code: err.code, Message: err.message }) +
    element("RequestId", requestId) +
    `</ErrorResponse>\n`
  );
}
