/**
 * Why an image could not be used. The operations layer maps the kind to the
 * service's error: `format` InvalidImageFormatException, `too-large`
 * ImageTooLargeException, `too-small` InvalidParameterException.
 */
export type ImageErrorKind = "format" | "too-large" | "too-small";

export class ImageError extends Error {
  constructor(
    readonly kind: ImageErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "ImageError";
  }
}
