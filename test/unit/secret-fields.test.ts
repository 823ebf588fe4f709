// Stripe's two secrets in one (STRIPE_SECRETS_ARN, JSON fields): fetched once for both, and a
// secret that is not the JSON it should be is a configuration error that names the field.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';

const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf';

describe('a secret of JSON fields', () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => {
    sm.reset();
    vi.resetModules();
  });
  const fresh = async () => {
    vi.resetModules();
    return import('#adapters/secrets-manager.ts');
  };

  it('answers each field, fetching the secret once', async () => {
    sm.on(GetSecretValueCommand, { SecretId: arn }).resolves({
      SecretString: JSON.stringify({ secretKey: 'sk_test_1', webhookSecret: 'whsec_2' }),
    });
    const { secretValue } = await fresh();
    const [key, hook] = await Promise.all([
      secretValue({ secretArn: arn, field: 'secretKey' }),
      secretValue({ secretArn: arn, field: 'webhookSecret' }),
    ]);
    expect([key, hook]).toEqual(['sk_test_1', 'whsec_2']);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('names a missing field, and a secret that is not a JSON object', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ secretKey: 'sk_test_1' }) });
    const { secretValue } = await fresh();
    await expect(secretValue({ secretArn: arn, field: 'webhookSecret' })).rejects.toThrow(
      /no "webhookSecret"/,
    );
    sm.reset();
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'sk_test_plain' });
    const again = await fresh();
    await expect(again.secretValue({ secretArn: arn, field: 'secretKey' })).rejects.toThrow(
      /not a JSON object/,
    );
  });
});
