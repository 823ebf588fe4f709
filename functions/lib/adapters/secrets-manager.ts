// Secrets the functions need at run time (the MFA key material, the Google client secret, Stripe's
// two, one JSON secret of fields): given
// directly in the environment locally and in tests, or as a Secrets Manager ARN in deployed
// stacks, fetched once per container. A failed fetch is not kept: the next request tries again.
// The SDK is loaded with the first fetch (a chunk of its own, deployed: infra/lambda.ts), so that
// a cold start does not parse a client a container calls once at most.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, type SecretSource } from '#shared/config.ts';

let client: SecretsManagerClient | undefined;
const fetched = new Map<string, Promise<string>>();

async function fetchSecret(arn: string): Promise<string> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('./secrets-manager.sdk.ts');
  client ??= new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new ConfigError(`The secret ${arn} holds no string`);
  return SecretString;
}

export async function secretValue(source: SecretSource): Promise<string> {
  if ('value' in source) return source.value;
  const text = await secretString(source.secretArn);
  if (source.field === undefined) return text;
  let value: unknown;
  try {
    value = (JSON.parse(text) as Record<string, unknown>)[source.field];
  } catch {
    throw new ConfigError(`The secret ${source.secretArn} is not a JSON object`);
  }
  if (typeof value !== 'string' || value === '')
    throw new ConfigError(`The secret ${source.secretArn} has no "${source.field}"`);
  return value;
}

/** The secret's string, fetched once per container (a failed fetch is not kept). */
function secretString(arn: string): Promise<string> {
  let value = fetched.get(arn);
  if (!value) {
    value = fetchSecret(arn).catch((err: unknown) => {
      fetched.delete(arn);
      throw err;
    });
    fetched.set(arn, value);
  }
  return value;
}
