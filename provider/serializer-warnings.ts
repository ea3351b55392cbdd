/**
 * Pulumi's closure serializer, which serializes every dynamic resource's
 * provider, loads each Node built-in module once to learn their names, and
 * loading `node:sqlite` prints "ExperimentalWarning: SQLite is an experimental
 * feature" into the stack's diagnostics on every run of a program that never
 * touched SQLite. Node warns once per feature, so loading it first with that
 * one warning held back keeps the diagnostics to what the program caused.
 */
export function preloadSqliteQuietly(): void {
  const original = Object.getOwnPropertyDescriptor(process, "emitWarning");
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    if (!isSqliteWarning(warning, rest[0])) Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
  try {
    require("node:sqlite");
  } catch {
    // A Node without SQLite has no such warning to hold back.
  } finally {
    if (original) Object.defineProperty(process, "emitWarning", original);
  }
}

function isSqliteWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const type =
    typeof typeOrOptions === "string"
      ? typeOrOptions
      : (typeOrOptions as { type?: string } | undefined)?.type;
  const text = typeof warning === "string" ? warning : warning.message;
  return type === "ExperimentalWarning" && text.startsWith("SQLite is an experimental feature");
}
