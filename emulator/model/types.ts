/** What a face model reports about an image: the shapes the operations turn into FaceDetail. */
export interface BoundingBox {
  Width: number;
  Height: number;
  Left: number;
  Top: number;
}

/** A Rekognition landmark: a named point, in ratios of the image's width and height. */
export interface Landmark {
  Type: string;
  X: number;
  Y: number;
}

export interface Pose {
  Roll: number;
  Yaw: number;
  Pitch: number;
}

export interface Quality {
  Brightness: number;
  Sharpness: number;
}

export interface DetectedFace {
  boundingBox: BoundingBox;
  /** 0–100. */
  confidence: number;
  /** Unit length. */
  vector: Float32Array;
  /** The face's size in pixels of the image as sent (for the minimum face size). */
  pixelWidth: number;
  pixelHeight: number;
  landmarks?: Landmark[];
  pose?: Pose;
  quality?: Quality;
}

export interface ImageAnalysis {
  /** Stable per image content, formatted as a UUID. */
  imageId: string;
  width: number;
  height: number;
  /** Largest face first. */
  faces: DetectedFace[];
}

export type FaceModelKind = "synthetic" | "real";
