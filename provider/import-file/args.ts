import { parseArgs } from "node:util";
import { endpointUrl } from "../aws/config-values.js";
import { environmentEndpoints } from "../aws/endpoints.js";
import type { ProviderReference } from "./model.js";
import { parseProviderReference } from "./plan.js";

export const COMMAND = "rekognition-faces-import";

export const USAGE = `Usage: ${COMMAND} --collection <id> [options]

Writes the file \`pulumi import --file\` reads to bring an existing Rekognition
collection, its users and their face associations under a stack's management.
It only reads (DescribeCollection, ListUsers, ListFaces).

Options:
  --collection ID     the collection to import (required)
  --out FILE          write the file here (default: standard output)
  --no-collection     leave the Collection out (it is already in the stack)
  --provider URN      make every resource use this rekognition-faces provider
                      (NAME=URN to choose the name the file refers to it by)
  --region REGION     AWS region (default: AWS_REGION, or the profile's)
  --endpoint URL      Rekognition endpoint, such as rekognition-local's
                      (default: AWS_ENDPOINT_URL_REKOGNITION, then AWS_ENDPOINT_URL)
  --profile NAME      shared-config profile for credentials (default: AWS_PROFILE)
  -h, --help          show this help
`;

export interface CommandOptions {
  readonly collectionId: string;
  readonly out?: string;
  readonly includeCollection: boolean;
  readonly provider?: ProviderReference;
  readonly region?: string;
  readonly endpoint?: string;
  readonly profile?: string;
}

export type Parsed = { readonly help: true } | { readonly help: false; readonly options: CommandOptions };

/**
 * The command line, with the endpoint from the environment when no flag
 * names one (the AWS SDK would read the same variables; knowing the endpoint
 * here keeps AWS's client-side quotas off a local one). Every refusal names
 * the option and the fix.
 */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        collection: { type: "string" },
        out: { type: "string" },
        "no-collection": { type: "boolean" },
        provider: { type: "string" },
        region: { type: "string" },
        endpoint: { type: "string" },
        profile: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new Error(
      `${err instanceof Error ? err.message : String(err)} (${COMMAND} --help lists the options)`,
      { cause: err },
    );
  }
  if (values.help) return { help: true };
  const collectionId = values.collection;
  if (!collectionId) {
    throw new Error(`--collection is required: ${COMMAND} --collection <id> [--out import.json]`);
  }
  const endpoint = endpointFrom(values.endpoint, env);
  return {
    help: false,
    options: {
      collectionId,
      includeCollection: !values["no-collection"],
      ...(values.out && { out: values.out }),
      ...(values.provider !== undefined && { provider: parseProviderReference(values.provider) }),
      ...(values.region && { region: values.region }),
      ...(values.profile && { profile: values.profile }),
      ...(endpoint && { endpoint }),
    },
  };
}

function endpointFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined) return endpointUrl("--endpoint", flag);
  return environmentEndpoints(env).rekognition;
}
