import type { AssumeRoleCommandInput } from "@aws-sdk/client-sts";
import {
  createCredentialChain,
  fromIni,
  fromNodeProviderChain,
  fromTemporaryCredentials,
} from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { AssumeRoleSettings, AwsSettings } from "./settings.js";

/** The STS client settings of role assumption: the stack's region and `sts` endpoint. */
export function stsClientConfig(settings: AwsSettings) {
  return {
    ...(settings.region && { region: settings.region }),
    ...(settings.stsEndpoint && { endpoint: settings.stsEndpoint }),
    maxAttempts: settings.maxAttempts,
  };
}

/**
 * The credentials @pulumi/aws would use for this configuration, built from
 * the AWS SDK's own providers: static keys first; otherwise the profile and
 * shared files; otherwise the SDK's default chain. Then each role of
 * `assumeRoles`, in order, assumed with the credentials before it.
 * Undefined leaves the client on its default chain.
 */
export function credentialProvider(settings: AwsSettings): AwsCredentialIdentityProvider | undefined {
  const base = baseCredentials(settings);
  const roles = settings.assumeRoles ?? [];
  if (roles.length === 0) return base;
  const clientConfig = stsClientConfig(settings);
  let current: AwsCredentialIdentityProvider =
    base ?? fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {});
  for (const role of roles) {
    current = fromTemporaryCredentials({
      params: assumeRoleParams(role),
      masterCredentials: current,
      clientConfig,
    });
  }
  return shared(current);
}

// Refresh this long before temporary credentials expire.
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * One resolution shared by every client of a configuration (Rekognition and
 * the account check): each role is assumed once, and again only near expiry.
 */
function shared(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    const fresh =
      cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS);
    if (fresh) return Promise.resolve(cached!);
    pending ??= provider()
      .then((identity) => (cached = identity))
      .finally(() => (pending = undefined));
    return pending;
  };
}

function baseCredentials(settings: AwsSettings): AwsCredentialIdentityProvider | undefined {
  const { credentials, profile, sharedCredentialsFiles, sharedConfigFiles } = settings;
  if (credentials) {
    const identity = { ...credentials };
    return () => Promise.resolve(identity);
  }
  if (!sharedCredentialsFiles && !sharedConfigFiles) return undefined;
  // The SDK reads one file of each kind: try every pair, a later file first,
  // so that a later file takes precedence as it does in @pulumi/aws.
  const clientConfig = stsClientConfig(settings);
  const providers = [...(sharedCredentialsFiles ?? [undefined])].reverse().flatMap((filepath) =>
    [...(sharedConfigFiles ?? [undefined])].reverse().map((configFilepath) =>
      fromIni({
        ...(profile && { profile }),
        ...(filepath && { filepath }),
        ...(configFilepath && { configFilepath }),
        clientConfig,
      }),
    ),
  );
  return providers.length === 1 ? providers[0] : createCredentialChain(...providers);
}

/** AssumeRole's parameters for one `assumeRoles` entry. */
export function assumeRoleParams(role: AssumeRoleSettings): Omit<
  AssumeRoleCommandInput,
  "RoleSessionName"
> & {
  RoleSessionName?: string;
} {
  return {
    RoleArn: role.roleArn,
    ...(role.sessionName && { RoleSessionName: role.sessionName }),
    ...(role.externalId && { ExternalId: role.externalId }),
    ...(role.durationSeconds && { DurationSeconds: role.durationSeconds }),
    ...(role.policy && { Policy: role.policy }),
    ...(role.policyArns && { PolicyArns: role.policyArns.map((arn) => ({ arn })) }),
    ...(role.tags && { Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })) }),
    ...(role.transitiveTagKeys && { TransitiveTagKeys: role.transitiveTagKeys }),
    ...(role.sourceIdentity && { SourceIdentity: role.sourceIdentity }),
  };
}
