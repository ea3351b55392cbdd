import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { AwsSettings } from "./settings.js";
import { ConfigurationError } from "./config-values.js";
import { stsClientConfig } from "./credentials.js";

/** Why an account may not be used, or undefined when it may. Pure. */
export function accountRefusal(account: string, settings: AwsSettings): string | undefined {
  const { allowedAccountIds: allowed, forbiddenAccountIds: forbidden } = settings;
  if (allowed && !allowed.includes(account)) {
    return (
      `the credentials belong to AWS account ${account}, which is not in aws:allowedAccountIds ` +
      `(${allowed.join(", ")}): use credentials of an allowed account, or add ${account} to aws:allowedAccountIds. No Rekognition call was made.`
    );
  }
  if (forbidden?.includes(account)) {
    return (
      `the credentials belong to AWS account ${account}, which aws:forbiddenAccountIds lists: ` +
      `use credentials of another account, or remove ${account} from aws:forbiddenAccountIds. No Rekognition call was made.`
    );
  }
  return undefined;
}

export function needsAccountCheck(settings: AwsSettings): boolean {
  return settings.allowedAccountIds !== undefined || settings.forbiddenAccountIds !== undefined;
}

/**
 * Asks STS which account the credentials reach (GetCallerIdentity, which
 * needs no permission) and refuses a disallowed one.
 */
export async function checkAccount(
  settings: AwsSettings,
  credentials: AwsCredentialIdentityProvider | undefined,
): Promise<void> {
  const sts = new STSClient({
    ...stsClientConfig(settings),
    ...(credentials ? { credentials } : settings.profile ? { profile: settings.profile } : {}),
  });
  try {
    const { Account: account } = await sts.send(new GetCallerIdentityCommand({}));
    if (!account)
      throw new ConfigurationError("STS GetCallerIdentity named no account: the account check cannot pass");
    const refusal = accountRefusal(account, settings);
    if (refusal) throw new ConfigurationError(refusal);
  } catch (err) {
    if (err instanceof ConfigurationError) throw err;
    const key = settings.allowedAccountIds ? "aws:allowedAccountIds" : "aws:forbiddenAccountIds";
    throw new ConfigurationError(
      `${key} is set, so the account is checked before any Rekognition call, and STS GetCallerIdentity failed: ` +
        `${err instanceof Error ? err.message : String(err)}. Check the credentials and the aws:endpoints "sts" entry.`,
      { cause: err },
    );
  } finally {
    sts.destroy();
  }
}
