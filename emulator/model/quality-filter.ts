import type { DetectedFace } from "./types.js";

export const QUALITY_FILTERS = ["NONE", "AUTO", "LOW", "MEDIUM", "HIGH"] as const;
export type QualityFilter = (typeof QUALITY_FILTERS)[number];

/**
 * Per level: the least detection confidence, and (MEDIUM, HIGH) the worst pose and
 * the dimmest, blurriest face kept. Rekognition publishes no numbers; these keep
 * every clear portrait at AUTO and make each level stricter than the one before.
 */
const LEVELS: Record<
  Exclude<QualityFilter, "NONE">,
  { confidence: number; pose?: number; brightness?: number; sharpness?: number }
> = {
  LOW: { confidence: 50 },
  AUTO: { confidence: 50 },
  MEDIUM: { confidence: 75, pose: 60, brightness: 15, sharpness: 5 },
  HIGH: { confidence: 90, pose: 40, brightness: 25, sharpness: 10 },
};

/**
 * "To be detected, a face must be no smaller than 40x40 pixels in an image with
 * 1920X1080 pixels. Images with dimensions higher than 1920X1080 pixels will need a
 * larger minimum face size proportionally."
 */
export function minFaceSide(width: number, height: number): number {
  return 40 * Math.max(1, width / 1920, height / 1080);
}

/** Why the filter leaves this face out (Rekognition's UnindexedFaces reasons); empty to keep it. */
export function filteredReasons(
  face: DetectedFace,
  filter: QualityFilter,
  image: { width: number; height: number },
): string[] {
  if (filter === "NONE") return [];
  const level = LEVELS[filter];
  const reasons: string[] = [];
  const min = minFaceSide(image.width, image.height);
  if (face.pixelWidth < min || face.pixelHeight < min) reasons.push("SMALL_BOUNDING_BOX");
  if (face.confidence < level.confidence) reasons.push("LOW_CONFIDENCE");
  const { pose, quality } = face;
  if (level.pose !== undefined && pose && Math.max(Math.abs(pose.Yaw), Math.abs(pose.Pitch)) > level.pose)
    reasons.push("EXTREME_POSE");
  if (level.brightness !== undefined && quality && quality.Brightness < level.brightness)
    reasons.push("LOW_BRIGHTNESS");
  if (level.sharpness !== undefined && quality && quality.Sharpness < level.sharpness)
    reasons.push("LOW_SHARPNESS");
  return reasons;
}
