import { analyzeImage, ImageError, type ImageAnalysis } from "../model/index.js";
import { ServiceError } from "../protocol/errors.js";
import type { OperationContext } from "./context.js";
import { invalid, requiredObject, requiredString, optionalString, type Input } from "./validate.js";

const MAX_BYTES = 5 * 1024 * 1024;
const MAX_S3_BYTES = 15 * 1024 * 1024;

/** Reads the `Image` member (inline bytes or an S3 object) and runs the face model on it. */
export function analyzeInputImage(ctx: OperationContext, input: Input): ImageAnalysis {
  const image = requiredObject(input, "Image");
  let bytes: Buffer;
  if (image.Bytes !== undefined && image.Bytes !== null) {
    if (image.S3Object !== undefined) throw invalid("Image", "Bytes and S3Object", "specify only one of Bytes or S3Object");
    const encoded = requiredString(image, "Bytes", { min: 1 }, "Image.Bytes");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw invalid("Image.Bytes", "(not base64)", "be base64-encoded binary data");
    bytes = Buffer.from(encoded, "base64");
    if (bytes.length > MAX_BYTES) throw new ServiceError("ImageTooLargeException", "Image size is too large.");
  } else if (image.S3Object !== undefined && image.S3Object !== null) {
    const s3 = requiredObject(image, "S3Object");
    const bucket = requiredString(s3, "Bucket", { min: 3, max: 255 }, "Image.S3Object.Bucket");
    const name = requiredString(s3, "Name", { min: 1, max: 1024 }, "Image.S3Object.Name");
    optionalString(s3, "Version", { min: 1, max: 1024 }, "Image.S3Object.Version");
    const object = ctx.readS3Object(bucket, name);
    if (!object) {
      throw new ServiceError(
        "InvalidS3ObjectException",
        "Unable to get object metadata from S3. Check object key, region and/or access permissions.",
      );
    }
    if (object.length > MAX_S3_BYTES) throw new ServiceError("ImageTooLargeException", "Image size is too large.");
    bytes = object;
  } else {
    throw invalid("Image", image, "specify Bytes or S3Object");
  }
  try {
    return analyzeImage(bytes);
  } catch (err) {
    if (err instanceof ImageError) {
      throw err.kind === "too-large"
        ? new ServiceError("ImageTooLargeException", "Image size is too large.")
        : new ServiceError("InvalidImageFormatException", "Request has invalid image format");
    }
    throw err;
  }
}
