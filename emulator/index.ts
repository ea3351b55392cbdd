/**
 * rekognition-local: a local Amazon Rekognition-compatible endpoint for face
 * collections, users and search, with synthetic portraits to feed it.
 */
export { startEmulator, DEFAULT_CREDENTIALS, DEFAULT_REGION, DEFAULT_ACCOUNT_ID } from "./start.js";
export type { EmulatorOptions, RunningEmulator } from "./start.js";
export type { Credentials } from "./protocol/signature.js";
export { EmulatorControl } from "./control/client.js";
export type {
  Counters,
  FaceReasons,
  FaultConfig,
  FaultKind,
  FaultRule,
  QuotaConfig,
  RequestLogEntry,
  RequestLogPage,
} from "./control/types.js";
export { generatePortrait, CANVAS_WIDTH, CANVAS_HEIGHT } from "./photos/portrait.js";
export type { PortraitOptions } from "./photos/portrait.js";
export { writeRosterPhotos } from "./photos/roster.js";
export { analyzeImage, similarity, FACE_MODEL_VERSION, VECTOR_LENGTH } from "./model/index.js";
export type { ImageAnalysis, DetectedFace, BoundingBox } from "./model/index.js";
export { Store } from "./store/store.js";
export type { StoreOptions } from "./store/store.js";
export type { Commit, FaceRecord, Mutation } from "./store/types.js";
