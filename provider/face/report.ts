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
