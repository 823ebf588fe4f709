// Secrets the functions need at run time (the MFA key material, the Google client secret): given
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

export function secretValue(source: SecretSource): Promise<string> {
  if ('value' in source) return Promise.resolve(source.value);
  let value = fetched.get(source.secretArn);
  if (!value) {
    value = fetchSecret(source.secretArn).catch((err: unknown) => {
      fetched.delete(source.secretArn);
      throw err;
    });
    fetched.set(source.secretArn, value);
  }
  return value;
}
