import type * as pulumi from "@pulumi/pulumi";
import { describe, identifierProblem, type IdentifierRule } from "./identifiers.js";
import { isUnknown } from "./unknown.js";

/** A check failure: the input that is wrong, and what to do about it. */
export type CheckFailure = pulumi.dynamic.CheckFailure;

/** Collects failures while inputs are read one by one; unknown values pass. */
export class InputChecker {
  readonly failures: CheckFailure[] = [];

  constructor(private readonly news: Record<string, unknown>) {}

  fail(property: string, reason: string): void {
    this.failures.push({ property, reason });
  }

  identifier(property: string, rule: IdentifierRule, fix: string): string | undefined {
    const value = this.news[property];
    if (isUnknown(value)) return value as string;
    const problem = identifierProblem(value, rule);
    if (problem) this.fail(property, `${property} ${problem}: ${fix}`);
    return problem ? undefined : (value as string);
  }

  number(property: string, fallback: number, min: number, max: number, fix: string): number {
    const value = this.news[property];
    if (value === undefined || value === null) return fallback;
    if (isUnknown(value)) return value as unknown as number;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      this.fail(
        property,
        `${property} must be a number from ${min} to ${max}, got ${describe(value)}: ${fix}`,
      );
      return fallback;
    }
    return value;
  }

  boolean(property: string, fallback: boolean): boolean {
    const value = this.news[property];
    if (value === undefined || value === null) return fallback;
    if (isUnknown(value)) return value as unknown as boolean;
    if (typeof value !== "boolean") {
      this.fail(property, `${property} must be true or false, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  string(property: string, fix: string): string | undefined {
    const value = this.news[property];
    if (isUnknown(value)) return value as string;
    if (typeof value !== "string" || value === "") {
      this.fail(property, `${property} must be a non-empty string, got ${describe(value)}: ${fix}`);
      return undefined;
    }
    return value;
  }
}
