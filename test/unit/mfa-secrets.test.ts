import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deriveMfaKey, open, seal } from '#services/mfa-secrets.ts';

const key = deriveMfaKey('k'.repeat(40));
const secret = new Uint8Array(20).map((_, i) => i + 1);

describe('sealing TOTP secrets', () => {
  it('opens what it sealed, for the same account only', () => {
    const sealed = seal(key, 'user-1', secret);
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{27}\.[\w-]{22}$/);
    expect(open(key, 'user-1', sealed)).toEqual(secret);
    expect(() => open(key, 'user-2', sealed)).toThrow();
  });

  it('never seals the same secret the same way twice, and hides it', () => {
    const [a, b] = [seal(key, 'u', secret), seal(key, 'u', secret)];
    expect(a).not.toBe(b);
    expect(a).not.toContain(Buffer.from(secret).toString('base64url'));
  });

  it('refuses a tampered secret, another key, and what is not a sealed secret', () => {
    const sealed = seal(key, 'u', secret);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    parts[2] = body.toString('base64url');
    expect(() => open(key, 'u', parts.join('.'))).toThrow();
    expect(() => open(deriveMfaKey('j'.repeat(40)), 'u', sealed)).toThrow();
    expect(() => open(key, 'u', 'v2.a.b.c')).toThrow(/Not a sealed/);
    expect(() => open(key, 'u', 'plain')).toThrow(/Not a sealed/);
  });
});

describe('the key from Secrets Manager', () => {
  const sm = mockClient(SecretsManagerClient);
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mfa-AbCdEf';

  afterEach(() => {
    sm.reset();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  /** A fresh container: configuration and key cache read anew. */
  async function coldStart() {
    vi.stubEnv('MFA_ENCRYPTION_KEY', '');
    vi.stubEnv('MFA_ENCRYPTION_KEY_SECRET_ARN', arn);
    vi.resetModules();
    return import('#services/mfa-secrets.ts');
  }

  it('is fetched once per container and derives the same key as the material itself', async () => {
    const material = 'x'.repeat(64);
    sm.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: material });
    const lib = await coldStart();
    const sealed = await lib.sealMfaSecret('u', secret);
    expect(await lib.openMfaSecret('u', sealed)).toEqual(secret);
    expect(open(deriveMfaKey(material), 'u', sealed)).toEqual(secret);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('tries again on the next request when the fetch failed', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 'y'.repeat(64) });
    const lib = await coldStart();
    await expect(lib.sealMfaSecret('u', secret)).rejects.toThrow('throttled');
    await expect(lib.sealMfaSecret('u', secret)).resolves.toMatch(/^v1\./);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('says what is wrong when no key is configured', async () => {
    vi.stubEnv('MFA_ENCRYPTION_KEY', '');
    vi.stubEnv('MFA_ENCRYPTION_KEY_SECRET_ARN', '');
    vi.resetModules();
    const lib = await import('#services/mfa-secrets.ts');
    await expect(lib.sealMfaSecret('u', secret)).rejects.toThrow(/MFA_ENCRYPTION_KEY/);
  });
});
