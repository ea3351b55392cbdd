// The one bridge from a resource engine (../engine.ts) to Pulumi's dynamic
// provider host: what only that host needs lives here.
import type { ResourceEngine } from "../engine.js";
import { PartialFailure } from "../engine.js";
import { ResourceInitError } from "../init-error.js";
import type { ProviderImplementation } from "../shim.js";
import { withDetailedDiff } from "./detailed-diff.js";

type Props = Record<string, unknown>;

/**
 * A partial result, as the host records one: its ResourceInitError becomes
 * the engine's "resource initialization failed" with `properties` as the
 * state. The host reads the serialized provider (`__provider`) back from that
 * state, so it is carried over from the call's inputs.
 */
function asInitError(err: unknown, inputs: Props): unknown {
  if (!(err instanceof PartialFailure)) return err;
  return new ResourceInitError(err.message, err.id, { ...err.state, __provider: inputs["__provider"] });
}

/**
 * An error of check, diff, read or delete as the host passes it on. The host
 * answers the engine with the message, which the engine shows with the
 * resource, and first prints `${error}: ${error.stack}` on the stack: the
 * message a second time, with a stack trace. Printed, this error is one line
 * that points at the first.
 */
class ReportedError extends Error {
  constructor(message: string) {
    super(message);
    this.stack = "the error is shown with its resource";
  }

  override toString(): string {
    return "rekognition-faces";
  }
}

/** Runs `call`, and reports what it throws once. */
async function reported<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new ReportedError(err instanceof Error ? err.message : String(err));
  }
}

/** The engine as the dynamic provider host calls it. */
export function dynamicProvider(engine: ResourceEngine): ProviderImplementation {
  return {
    // A configuration it cannot use is kept, and every later call fails with it
    // in one line (failClosed); thrown here, the host would also print it with
    // a stack trace under the stack.
    configure: (req) => engine.configure(req.config).catch(() => undefined),
    check: (olds: Props, news: Props) => reported(() => engine.check(olds, news)),
    // The host drops a detailed diff; ./detailed-diff.ts hands it to the Pulumi engine anyway.
    diff: (id, olds: Props, news: Props) =>
      reported(async () => {
        const { detailedDiff, ...result } = await engine.diff(id, olds, news);
        return detailedDiff ? withDetailedDiff(result, detailedDiff) : result;
      }),
    create: async (inputs: Props) => {
      try {
        return await engine.create(inputs);
      } catch (err) {
        throw asInitError(err, inputs);
      }
    },
    read: (id, props: Props) => reported(() => engine.read(id, props)),
    update: async (id, olds: Props, news: Props) => {
      try {
        return await engine.update(id, olds, news);
      } catch (err) {
        throw asInitError(err, news);
      }
    },
    delete: (id, props: Props) => reported(() => engine.delete(id, props)),
  };
}
