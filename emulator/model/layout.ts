/**
 * The face layout shared by the portrait generator and the face model.
 *
 * Positions are relative to the face ellipse: u and v run from -1 to 1 across its
 * semi-axes. The generator paints each feature with a colour that depends only on
 * the person; the model samples the centre of each feature, which is why the two
 * sides must agree on this table.
 */
export interface FeatureSpot {
  name: string;
  u: number;
  v: number;
  /** Semi-axes of the painted feature, relative to the face's semi-axes. */
  ru: number;
  rv: number;
}

export const FEATURES: readonly FeatureSpot[] = [
  { name: "forehead", u: 0, v: -0.5, ru: 0.1, rv: 0.06 },
  { name: "browLeft", u: -0.38, v: -0.38, ru: 0.2, rv: 0.07 },
  { name: "browRight", u: 0.38, v: -0.38, ru: 0.2, rv: 0.07 },
  { name: "eyeLeft", u: -0.36, v: -0.2, ru: 0.15, rv: 0.09 },
  { name: "eyeRight", u: 0.36, v: -0.2, ru: 0.15, rv: 0.09 },
  { name: "nose", u: 0, v: 0.05, ru: 0.09, rv: 0.14 },
  { name: "cheekLeft", u: -0.55, v: 0.2, ru: 0.13, rv: 0.09 },
  { name: "cheekRight", u: 0.55, v: 0.2, ru: 0.13, rv: 0.09 },
  { name: "mouth", u: 0, v: 0.45, ru: 0.3, rv: 0.08 },
  { name: "chin", u: 0, v: 0.73, ru: 0.2, rv: 0.08 },
];

/** The hair cap: inside the face ellipse shrunk by HAIR_INSET, above HAIR_LINE. */
export const HAIR_LINE = -0.6;
export const HAIR_INSET = 0.9;
export const HAIR_SPOT = { u: 0, v: -0.76 };

/** Bare skin, away from every feature. */
export const SKIN_SPOTS = [
  { u: -0.72, v: -0.05 },
  { u: 0.72, v: -0.05 },
];

/**
 * What counts as skin. Generated backgrounds are always bluish or grey (blue at
 * least red), so they can never pass this test; every generated skin tone does.
 */
export function isSkin(r: number, g: number, b: number): boolean {
  return r > g && g > b && r - b >= 40 && r >= 90;
}
