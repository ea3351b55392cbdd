import { ImageError, type ImageAnalysis } from "../model/index.js";
import { ServiceError } from "../protocol/errors.js";
import type { OperationContext } from "./context.js";
import { invalid, requiredObject, requiredString, optionalString, type Input } from "./validate.js";

const MAX_BYTES = 5 * 1024 * 1024;
const MAX_S3_BYTES = 15 * 1024 * 1024;

export type ImageSource = { bytes: Buffer } | { bucket: string; name: string };

/** Validates the `Image` member: inline base64 bytes or an S3 object, exactly one. */
export function imageSource(input: Input): ImageSource {
  const image = requiredObject(input, "Image");
  if (image.Bytes !== undefined && image.Bytes !== null) {
    if (image.S3Object !== undefined)
      throw invalid("Image", "Bytes and S3Object", "specify only one of Bytes or S3Object");
    const encoded = requiredString(image, "Bytes", { min: 1 }, "Image.Bytes");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded))
      throw invalid("Image.Bytes", "(not base64)", "be base64-encoded binary data");
    const bytes = Buffer.from(encoded, "base64");
    if (bytes.length > MAX_BYTES)
      throw new ServiceError("ImageTooLargeException", "Image size is too large.");
    return { bytes };
  }
  if (image.S3Object !== undefined && image.S3Object !== null) {
    const s3 = requiredObject(image, "S3Object");
    const bucket = requiredString(s3, "Bucket", { min: 3, max: 255 }, "Image.S3Object.Bucket");
    const name = requiredString(s3, "Name", { min: 1, max: 1024 }, "Image.S3Object.Name");
    optionalString(s3, "Version", { min: 1, max: 1024 }, "Image.S3Object.Version");
    return { bucket, name };
  }
  throw invalid("Image", image, "specify Bytes or S3Object");
}

/** Refusals of an image, in the service's words. */
function serviceErrorFor(err: ImageError): ServiceError {
  switch (err.kind) {
    case "too-large":
      return new ServiceError("ImageTooLargeException", err.message);
    case "too-small":
      return new ServiceError("InvalidParameterException", err.message);
    default:
      return new ServiceError("InvalidImageFormatException", err.message);
  }
}

/** Loads the image (from S3 when it names an object) and runs the face model on it. */
export async function analyzeSource(ctx: OperationContext, source: ImageSource): Promise<ImageAnalysis> {
  let bytes: Buffer;
  if ("bytes" in source) bytes = source.bytes;
  else {
    const object = ctx.readS3Object(source.bucket, source.name);
    if (!object) {
      throw new ServiceError(
        "InvalidS3ObjectException",
        "Unable to get object metadata from S3. Check object key, region and/or access permissions.",
      );
    }
    if (object.length > MAX_S3_BYTES)
      throw new ServiceError("ImageTooLargeException", "Image size is too large.");
    bytes = object;
  }
  try {
    return await ctx.faceModel.analyze(bytes);
  } catch (err) {
    if (err instanceof ImageError) throw serviceErrorFor(err);
    throw err;
  }
}
