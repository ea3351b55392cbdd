// The contract every resource's behaviour meets, whatever host calls it: the
// dynamic provider host today (./dynamic/adapter.ts), a provider plugin next.
// Nothing here or in an engine knows a host: values are plain (an unknown
// input is ./unknown.ts's sentinel, a secret ./sealing.ts's wire form), and
// results are this package's own types.
import type { ConfigSource } from "./aws/settings.js";
import type { CheckFailure } from "./check.js";

/** Plain property values: a resource's inputs, or its recorded state. */
export type Props = Record<string, unknown>;

export interface CheckResult {
  readonly inputs: Props;
  readonly failures: CheckFailure[];
}

/** A changed input path (Pulumi property path syntax, e.g. `people` or `tags["team"]`) and how it changes. */
export type DetailedDiff = Readonly<Record<string, "add" | "delete" | "update">>;

export interface DiffResult {
  readonly changes: boolean;
  readonly replaces?: string[];
  readonly stables?: string[];
  readonly deleteBeforeReplace?: boolean;
  /**
   * With `changes`, the paths a preview shows, and no others: without it a
   * preview shows every input of a changed resource.
   */
  readonly detailedDiff?: DetailedDiff;
}

/** Outputs are the resource's own state type (CollectionState, UserState, ...). */
export type State = object;

export interface CreateResult {
  readonly id: string;
  readonly outs: State;
}

/** An empty `id` means the resource is gone: a refresh drops it. */
export interface ReadResult {
  readonly id: string;
  readonly props: State;
  /** The inputs that now describe the resource, when a refresh changes them. */
  readonly inputs?: Props;
}

export interface UpdateResult {
  readonly outs: State;
}

/** One resource's behaviour: validation, planning and the calls that carry it out. */
export interface ResourceEngine {
  configure(config: ConfigSource): Promise<void>;
  check(olds: Props, news: Props): Promise<CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<DiffResult>;
  create(inputs: Props): Promise<CreateResult>;
  read(id: string, props: Props): Promise<ReadResult>;
  update(id: string, olds: Props, news: Props): Promise<UpdateResult>;
  delete(id: string, props: Props): Promise<void>;
}

/**
 * A create or update that failed after it changed something: the resource
 * `id` exists, and `state` is what really holds now. A host records `state`
 * and fails the operation, so the next run starts from the truth.
 */
export class PartialFailure extends Error {
  readonly reasons: readonly string[];

  constructor(
    message: string,
    readonly id: string,
    readonly state: State,
  ) {
    super(message);
    this.name = "PartialFailure";
    this.reasons = [message];
  }
}
