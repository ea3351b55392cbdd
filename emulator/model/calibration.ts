/**
 * How each model turns the cosine of two unit face vectors into Rekognition's
 * 0–100 similarity. Both maps are increasing, so a search can turn a similarity
 * threshold back into a cosine and scan with it.
 */
export interface Calibration {
  similarity(cosine: number): number;
  /** The smallest cosine whose similarity reaches `similarity`. */
  cosineFor(similarity: number): number;
}

const clamp100 = (x: number) => Math.max(0, Math.min(100, x));

/** The synthetic model's vectors are built so that the plain cosine reads as a similarity. */
export const SYNTHETIC_CALIBRATION: Calibration = {
  similarity: (cos) => clamp100(cos * 100),
  cosineFor: (s) => s / 100,
};

/**
 * The real model: a logistic in the cosine of the L2-normalised 128-d descriptors,
 * 100 / (1 + e^(−k·(cos − c50))). Fitted on the photos under test/photos/real and
 * face-api's demo group photos (see docs/emulator.md, "The face model"): 80 at
 * cos 0.909, which is face-api's customary Euclidean threshold 0.6 on raw descriptors
 * (norm ≈ 1.4); 20 at cos 0.864, where different people start.
 */
export const REAL_LOGISTIC = { k: 61.6, c50: 0.8865 } as const;

export const REAL_CALIBRATION: Calibration = {
  similarity: (cos) => clamp100(100 / (1 + Math.exp(-REAL_LOGISTIC.k * (cos - REAL_LOGISTIC.c50)))),
  cosineFor: (s) => {
    if (s <= 0) return -Infinity;
    if (s >= 100) return 1;
    return REAL_LOGISTIC.c50 - Math.log(100 / s - 1) / REAL_LOGISTIC.k;
  },
};
