import { CsvError } from "csv-parse";
import { parse as parseCsv } from "csv-parse/sync";
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { closest } from "../check.js";
import { describe } from "../identifiers.js";

/** A value of the manifest and the line it was written on (1-based). */
export interface Located<T> {
  readonly value: T;
  readonly line: number;
}

/** One person as the manifest writes them, before any check of the values. */
export interface ManifestPerson {
  readonly userId: Located<unknown>;
  readonly photos: readonly Located<unknown>[];
}

export type ManifestFormat = "yaml" | "json" | "csv";

/** The people a manifest lists, or the problems that stop it being read, each prefixed with its line. */
export type ParsedManifest =
  { readonly people: ManifestPerson[]; readonly problems?: undefined } | { readonly problems: string[] };

export const csvColumns = ["userId", "photo"] as const;
const topLevelKeys = ["people"];
const entryKeys = ["userId", "photos"];

/** Reads a manifest's text; `label` names the file in messages. Pure. */
export function parseManifest(text: string, format: ManifestFormat, label: string): ParsedManifest {
  return format === "csv" ? parseCsvManifest(text, label) : parseYamlManifest(text, format, label);
}

function parseCsvManifest(text: string, label: string): ParsedManifest {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // Sync: the program declares its resources synchronously, and a roster of thousands of
    // rows is a few hundred kilobytes; streaming would only add a callback.
    rows = parseCsv(text, {
      info: true,
      bom: true,
      trim: true,
      comment: "#",
      // Only whole lines are comments: a `#` inside a photo path is part of the path.
      comment_no_infix: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
    }) as unknown as typeof rows;
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      return { problems: [`${label}${line ? `:${line}` : ""}: ${err.message}: fix the CSV syntax`] };
    }
    throw err;
  }
  const [header, ...records] = rows;
  if (!header) return { people: [] };
  const problems: string[] = [];
  const columns = header.record;
  const at = (name: string): number => columns.indexOf(name);
  columns.forEach((column, index) => {
    if (!(csvColumns as readonly string[]).includes(column)) {
      problems.push(
        `${label}:${header.info.lines}: unknown column '${column}' (column ${index + 1}): ` +
          `did you mean '${closest(column, csvColumns)}'? The header is ${csvColumns.join(",")}`,
      );
    } else if (at(column) !== index) {
      problems.push(`${label}:${header.info.lines}: the column '${column}' appears twice: keep one`);
    }
  });
  for (const column of csvColumns) {
    if (at(column) < 0)
      problems.push(
        `${label}:${header.info.lines}: the header has no '${column}' column: the header is ${csvColumns.join(",")}`,
      );
  }
  if (problems.length > 0) return { problems };

  const byUser = new Map<string, { userId: Located<unknown>; photos: Located<unknown>[] }>();
  for (const { record, info } of records) {
    if (record.length !== columns.length) {
      problems.push(
        `${label}:${info.lines}: ${record.length} fields, the header has ${columns.length}: ` +
          `write one userId and one photo per row (quote a value that holds a comma)`,
      );
      continue;
    }
    const userId = record[at("userId")]!;
    const person = byUser.get(userId) ?? { userId: { value: userId, line: info.lines }, photos: [] };
    byUser.set(userId, person);
    person.photos.push({ value: record[at("photo")]!, line: info.lines });
  }
  return problems.length > 0 ? { problems } : { people: [...byUser.values()] };
}

function parseYamlManifest(text: string, format: "yaml" | "json", label: string): ParsedManifest {
  const read = readYamlDocument(text, format, label);
  if ("problems" in read) return { problems: read.problems };
  const reader: Reader = { label, lineOf: read.lineOf, problems: [] };
  const people = peopleNode(read.root, reader);
  let persons: ManifestPerson[] = [];
  if (isEmpty(people)) persons = [];
  else if (isMap(people)) persons = peopleOfMap(people, reader);
  else if (isSeq(people)) persons = peopleOfList(people, reader);
  else
    reader.problems.push(
      `${label}:${reader.lineOf(people ?? read.root)}: people must map each user ID to a list of photos ` +
        `(people: { alice: [photos/alice-1.png] }) or list { userId, photos } entries, got ${describe(toJs(people))}`,
    );
  return reader.problems.length > 0 ? { problems: reader.problems } : { people: persons };
}

/** What the readers of a YAML or JSON manifest share: the file's label, a node's line, the problems found. */
interface Reader {
  readonly label: string;
  readonly lineOf: (node: Node | Pair | null | undefined) => number;
  readonly problems: string[];
}

/** The document's root and its lines, or its syntax errors. A .json file must be strict JSON. */
function readYamlDocument(
  text: string,
  format: "yaml" | "json",
  label: string,
): { root: Node | null; lineOf: Reader["lineOf"] } | { problems: string[] } {
  if (format === "json") {
    // YAML reads any JSON and gives lines; JSON.parse first so that a .json file is strict JSON.
    try {
      JSON.parse(text);
    } catch (err) {
      return { problems: [`${label}: not valid JSON: ${(err as Error).message}: fix the JSON syntax`] };
    }
  }
  const lines = new LineCounter();
  // Failsafe: every YAML scalar stays a string, so user ID `007` is not the number 7.
  const doc = parseDocument(text, {
    lineCounter: lines,
    schema: format === "json" ? "core" : "failsafe",
    // Repeated keys are reported with both lines by the checks that also see CSV's repeated rows.
    uniqueKeys: false,
    prettyErrors: false,
  });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map(
        (error) =>
          `${label}:${error.linePos?.[0].line ?? 1}: ${firstLine(error.message)}: fix the YAML syntax`,
      ),
    };
  }
  const lineOf = (node: Node | Pair | null | undefined): number => {
    const offset = node && "range" in node && node.range ? node.range[0] : 0;
    return lines.linePos(offset).line;
  };
  return { root: doc.contents, lineOf };
}

/** The `people` of a manifest: the root's `people` key, or the root itself when it is not a map. */
function peopleNode(root: Node | null, { label, lineOf, problems }: Reader): Node | null {
  if (!isMap(root)) return root;
  let people: Node | null = null;
  let sawPeople = false;
  for (const pair of root.items) {
    const key = scalarText(pair.key);
    if (key === "people" && sawPeople)
      problems.push(`${label}:${lineOf(pair.key as Node)}: people is set twice: merge the two`);
    else if (key === "people") [people, sawPeople] = [pair.value as Node | null, true];
    else
      problems.push(
        `${label}:${lineOf(pair.key as Node)}: unknown key '${key}': did you mean '${closest(key, topLevelKeys)}'? ` +
          `A manifest holds only people`,
      );
  }
  return people;
}

/** `people: { <userId>: [photos] }`. */
function peopleOfMap(people: YAMLMap, reader: Reader): ManifestPerson[] {
  return people.items.map((pair) => ({
    userId: { value: scalarValue(pair.key), line: reader.lineOf(pair.key as Node) },
    photos: photoList(pair.value as Node | null, `people.${scalarText(pair.key)}`, reader),
  }));
}

/** `people: [{ userId, photos }]`; an entry that is not one is a problem and no person. */
function peopleOfList(people: YAMLSeq, reader: Reader): ManifestPerson[] {
  const { label, lineOf, problems } = reader;
  return people.items.flatMap((item, index) => {
    const where = `people[${index}]`;
    if (!isMap(item)) {
      problems.push(
        `${label}:${lineOf(item as Node)}: ${where} must be { userId, photos: [...] }, got ${describe(toJs(item))}`,
      );
      return [];
    }
    let userId: Located<unknown> | undefined;
    let photos: Located<unknown>[] | undefined;
    for (const pair of item.items) {
      const key = scalarText(pair.key);
      const value = pair.value as Node | null;
      if (key === "userId") userId = { value: scalarValue(value), line: lineOf(value ?? (pair.key as Node)) };
      else if (key === "photos") photos = photoList(value, `${where}.photos`, reader);
      else
        problems.push(
          `${label}:${lineOf(pair.key as Node)}: ${where} has an unknown key '${key}': ` +
            `did you mean '${closest(key, entryKeys)}'? An entry holds userId and photos`,
        );
    }
    if (userId) return [{ userId, photos: photos ?? [] }];
    problems.push(`${label}:${lineOf(item)}: ${where} has no userId: add userId: <the person's user ID>`);
    return [];
  });
}

/** A person's photo list; a missing or non-list value is recorded as a problem and yields no photos. */
function photoList(
  node: Node | null,
  where: string,
  { label, lineOf, problems }: Reader,
): Located<unknown>[] {
  if (isSeq(node))
    return node.items.map((item) => ({ value: scalarValue(item), line: lineOf(item as Node) }));
  // An empty or missing list is reported by the checks that also see CSV, with the person's line.
  if (isEmpty(node)) return [];
  problems.push(
    `${label}:${lineOf(node)}: ${where} must be a list of photos (write [${scalarText(node) || "photo.png"}]), ` +
      `got ${describe(toJs(node))}`,
  );
  return [];
}

/** Nothing written: no node, or a scalar with no value (`people:` alone). */
function isEmpty(node: unknown): boolean {
  return (
    node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === ""))
  );
}

/** A scalar's value (a string under failsafe, a JSON value under core); anything else as plain data. */
function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : toJs(node);
}

function scalarText(node: unknown): string {
  const value = scalarValue(node);
  return typeof value === "string" ? value : String(value);
}

function toJs(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  return typeof (node as Node).toJSON === "function" ? (node as Node).toJSON() : node;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
