import type { FaceModelKind } from "./types.js";
import { VECTOR_LENGTH } from "./vector.js";

/** How many numbers each model's face vectors hold (the real model's descriptors are 128-d). */
export const VECTOR_LENGTHS: Readonly<Record<FaceModelKind, number>> = {
  synthetic: VECTOR_LENGTH,
  real: 128,
};

/**
 * Faces indexed by one model cannot be searched with another's vectors. Returns
 * why the stored collections do not fit `model`, or undefined when they do.
 */
export function storedVectorMismatch(
  collections: Iterable<{ id: string; faces: Map<string, { vector: Float32Array }> }>,
  model: FaceModelKind,
): string | undefined {
  const wanted = VECTOR_LENGTHS[model];
  for (const c of collections) {
    const first = c.faces.values().next();
    if (first.done || first.value.vector.length === wanted) continue;
    const other = (Object.keys(VECTOR_LENGTHS) as FaceModelKind[]).find(
      (k) => VECTOR_LENGTHS[k] === first.value.vector.length,
    );
    return (
      `collection '${c.id}' holds faces indexed by the ${other ?? "another"} face model ` +
      `(${first.value.vector.length}-number vectors), which the ${model} model (${wanted}) cannot search: ` +
      `keep each data dir to one model (use another --data-dir / dataDir, or --face-model ${other ?? "synthetic"})`
    );
  }
  return undefined;
}
