// The sizes of the scale section: `N` or `NxK` (N people × K photos each).

export interface SizeSpec {
  readonly n: number;
  readonly photos: number;
}

/** Photos per person when a results file does not say (files written before sizes carried it). */
export const OLD_PHOTOS_PER_PERSON = 3;

/**
 * `1000,10000,50000x1` with 3 photos by default → 1000×3, 10000×3, 50000×1.
 * `none` and empty items are skipped; anything else names the item and the form.
 */
export function parseScaleSizes(text: string, defaultPhotos: number, flag = "--scale-sizes"): SizeSpec[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "" && s !== "none")
    .map((item) => {
      const m = /^(\d+)(?:x(\d+))?$/.exec(item);
      const n = Number(m?.[1]);
      const photos = m?.[2] === undefined ? defaultPhotos : Number(m[2]);
      if (!m || n < 1 || !Number.isInteger(photos) || photos < 1)
        throw new Error(
          `${flag}: '${item}' is not a size; write N people or NxK for K photos each (e.g. 1000,50000x1), N and K at least 1`,
        );
      return { n, photos };
    });
}

/** The label of a size in logs and stack names: `1000` at the default photos, else `50000x1`. */
export const sizeLabel = (s: SizeSpec): string => `${s.n}x${s.photos}`;
