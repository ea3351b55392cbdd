import { minImageSide, type ImageHeader } from "./image.js";
import { imageLabel, type ImageSource } from "./model.js";

/**
 * Why a photo cannot be an IndexedFace, given how many faces IndexFaces
 * found (asked for two) and the reasons it gave for faces it left out;
 * undefined when it found exactly one.
 */
export function faceCountProblem(
  image: ImageSource,
  indexed: number,
  unindexedReasons: readonly string[],
): string | undefined {
  if (indexed === 1) return undefined;
  const photo = imageLabel(image);
  if (indexed === 0) {
    const why =
      unindexedReasons.length > 0 ? ` (faces left out: ${[...new Set(unindexedReasons)].join(", ")})` : "";
    return (
      `${photo}: Rekognition found no face to index${why}: an IndexedFace needs a photo with one clear face; ` +
      "use another photo, or relax qualityFilter"
    );
  }
  return (
    `${photo}: Rekognition found ${indexed} or more faces: an IndexedFace indexes exactly one person's face; ` +
    "crop the photo to that person"
  );
}

export function faceStillAssociatedMessage(
  faceId: string,
  image: ImageSource,
  userId: string | undefined,
): string {
  return (
    `face ${faceId} (from ${imageLabel(image)}) cannot be deleted: it is associated with user '${userId ?? "unknown"}'. ` +
    "Remove it from that user's UserFaceAssociation first (or delete the association); " +
    "declaring the association with this face's faceId output orders this for you"
  );
}

export function leftoverFacesMessage(problem: string, faceIds: readonly string[], reason: string): string {
  return `${problem}. The faces indexed from it (${faceIds.join(", ")}) could not be deleted again (${reason}): delete them with DeleteFaces`;
}

/**
 * Why IndexFaces would refuse a local photo, judged from its header at
 * preview; undefined when the header is a JPEG or PNG of a size it takes.
 */
export function photoHeaderProblem(
  path: string,
  resolvedPath: string,
  header: ImageHeader,
): string | undefined {
  const photo = `image.path '${path}' (${resolvedPath})`;
  if (!("problem" in header)) {
    if (header.width >= minImageSide && header.height >= minImageSide) return undefined;
    return (
      `${photo} is ${header.width}×${header.height} pixels, but Rekognition needs at least ` +
      `${minImageSide}×${minImageSide}: use a larger photo of the face`
    );
  }
  switch (header.problem) {
    case "not-an-image":
      return (
        `${photo} is not an image: its first bytes are neither JPEG's nor PNG's, whatever its name says. ` +
        "Rekognition takes JPEG or PNG: point image.path at the photo, or convert it"
      );
    case "other-format":
      return (
        `${photo} is ${header.type ? `a ${header.type.toUpperCase()} image` : "an image"}, but Rekognition ` +
        "takes only JPEG or PNG: convert it (for instance to PNG)"
      );
    case "unreadable-header":
      return (
        `${photo} starts like a ${header.format} but its header cannot be read (the file is cut short or ` +
        "damaged): export or copy the photo again"
      );
    case "cut-short":
      return (
        `${photo} is a PNG cut short: its data ends before the closing IEND chunk (an interrupted copy or ` +
        "download?): copy or export the photo again"
      );
  }
}
