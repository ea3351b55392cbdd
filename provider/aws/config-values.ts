/** A stack configuration value that cannot be used; the message names the key, the value and the fix. */
export class ConfigurationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigurationError";
  }
}

/**
 * Parses a structured configuration value (the engine hands objects and lists
 * over as JSON text). `secret` keeps the text out of the message.
 */
export function parseJson(key: string, raw: string, example: string, secret = false): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    const shown = secret ? "a value that is not JSON" : raw;
    throw new ConfigurationError(`${key} must be ${example}, got ${shown}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A list of non-empty strings, such as `aws:allowedAccountIds`; absent when not set. */
export function stringList(key: string, raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw === "") return undefined;
  const parsed = parseJson(key, raw, `a list of strings such as ["a", "b"]`);
  return stringsAt(key, parsed);
}

export function stringsAt(path: string, value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new ConfigurationError(
      `${path} must be a list of strings such as ["a", "b"], got ${JSON.stringify(value)}`,
    );
  }
  return value.map((item, i) => {
    if (typeof item !== "string" || item === "") {
      throw new ConfigurationError(`${path}[${i}] must be a non-empty string, got ${JSON.stringify(item)}`);
    }
    return item;
  });
}

/** A URL the SDK can send requests to: absolute, http or https. */
export function endpointUrl(path: string, value: unknown): string {
  const fix = `set it to an absolute http(s) URL such as "http://127.0.0.1:4599"`;
  if (typeof value !== "string" || value === "") {
    throw new ConfigurationError(`${path} must be a URL, got ${JSON.stringify(value)}: ${fix}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${path} is not a valid URL: ${JSON.stringify(value)}: ${fix}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigurationError(`${path} must use http or https, got ${JSON.stringify(value)}: ${fix}`);
  }
  return value;
}

/** The candidate a mistyped or mis-cased name most likely meant. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameLetters = candidates.find((c) => c.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  // Past a third of the name's length a suggestion is noise.
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance: a swap of two neighbours (rekognitoin) counts as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
