import type { Landmark, Pose } from "./types.js";

export interface Point {
  x: number;
  y: number;
}

const mean = (pts: Point[]): Point => ({
  x: pts.reduce((s, p) => s + p.x, 0) / pts.length,
  y: pts.reduce((s, p) => s + p.y, 0) / pts.length,
});

/**
 * Rekognition's landmark types, each as indices of the 68-point (iBUG 300-W) layout
 * the real model returns; several indices are averaged. "Left" is the image's left.
 */
const LANDMARKS: readonly (readonly [string, readonly number[]])[] = [
  ["eyeLeft", [36, 37, 38, 39, 40, 41]],
  ["eyeRight", [42, 43, 44, 45, 46, 47]],
  ["nose", [30]],
  ["mouthLeft", [48]],
  ["mouthRight", [54]],
  ["leftEyeBrowLeft", [17]],
  ["leftEyeBrowUp", [19]],
  ["leftEyeBrowRight", [21]],
  ["rightEyeBrowLeft", [22]],
  ["rightEyeBrowUp", [24]],
  ["rightEyeBrowRight", [26]],
  ["leftEyeLeft", [36]],
  ["leftEyeRight", [39]],
  ["leftEyeUp", [37, 38]],
  ["leftEyeDown", [40, 41]],
  ["rightEyeLeft", [42]],
  ["rightEyeRight", [45]],
  ["rightEyeUp", [43, 44]],
  ["rightEyeDown", [46, 47]],
  ["noseLeft", [31]],
  ["noseRight", [35]],
  ["mouthUp", [51]],
  ["mouthDown", [57]],
  ["leftPupil", [36, 37, 38, 39, 40, 41]],
  ["rightPupil", [42, 43, 44, 45, 46, 47]],
  ["upperJawlineLeft", [0]],
  ["midJawlineLeft", [4]],
  ["chinBottom", [8]],
  ["midJawlineRight", [12]],
  ["upperJawlineRight", [16]],
];

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** The 68 points (in pixels of a width × height image) as Rekognition landmarks, in ratios. */
export function rekognitionLandmarks(points: Point[], width: number, height: number): Landmark[] {
  return LANDMARKS.map(([Type, idx]) => {
    const p = mean(idx.map((i) => points[i]!));
    return { Type, X: round(p.x / width), Y: round(p.y / height) };
  });
}

const degrees = (rad: number) => Math.round(((rad * 180) / Math.PI) * 100) / 100;
const clamp = (x: number) => Math.max(-1, Math.min(1, x));

/**
 * An approximate head pose from the 68 points: roll is the tilt of the line between
 * the eyes; yaw how far the nose tip sits off the jaw's centre line; pitch how far
 * it sits off its frontal height between the eyes and the mouth. Good to a few tens
 * of degrees, enough for EXTREME_POSE; not a 3-D fit.
 */
export function poseFrom(points: Point[]): Pose {
  const eyeL = mean(points.slice(36, 42));
  const eyeR = mean(points.slice(42, 48));
  const roll = Math.atan2(eyeR.y - eyeL.y, eyeR.x - eyeL.x);
  // Undo the roll so the remaining measures are taken along the face's own axes.
  const cos = Math.cos(-roll);
  const sin = Math.sin(-roll);
  const r = (p: Point): Point => ({ x: p.x * cos - p.y * sin, y: p.x * sin + p.y * cos });
  const jawL = r(points[0]!);
  const jawR = r(points[16]!);
  const nose = r(points[30]!);
  const eyes = r(mean([eyeL, eyeR]));
  const mouth = r(mean([points[48]!, points[54]!]));
  const half = (jawR.x - jawL.x) / 2 || 1;
  const yaw = Math.asin(clamp((nose.x - (jawL.x + half)) / half));
  // On a frontal face the nose tip sits about 55% of the way from the eyes to the mouth.
  const span = mouth.y - eyes.y || 1;
  const pitch = Math.asin(clamp(((nose.y - eyes.y) / span - 0.55) / 0.45));
  return { Roll: degrees(roll), Yaw: degrees(yaw), Pitch: degrees(pitch) };
}
