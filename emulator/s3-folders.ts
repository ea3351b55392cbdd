import { readFileSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";

/** Serves S3 object reads from local folders, one folder per bucket name. */
export function s3FolderReader(buckets: Record<string, string>) {
  const roots = new Map(Object.entries(buckets).map(([bucket, dir]) => [bucket, resolve(dir)]));
  return (bucket: string, name: string): Buffer | undefined => {
    const root = roots.get(bucket);
    if (!root) return undefined;
    const path = resolve(root, name);
    // Object keys must not reach outside the bucket's folder.
    if (!path.startsWith(root + sep)) return undefined;
    try {
      return statSync(path).isFile() ? readFileSync(path) : undefined;
    } catch {
      return undefined;
    }
  };
}
