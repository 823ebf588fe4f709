import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig, readGoogle, readStripe } from '#shared/config.ts';

const env = { TABLE_NAME: 't', MAIL_FROM: 'a@b.co', PUBLIC_BASE_URL: 'https://x.example/' };

describe('readConfig', () => {
  it('reads and tidies the environment', () => {
    expect(readConfig(env)).toEqual({
      tableName: 't',
      mailFrom: 'a@b.co',
      publicBaseUrl: 'https://x.example',
      stage: 'dev',
      unconfirmedRetentionDays: 7,
      recentSecondFactorSeconds: 600,
      consoleIdleSeconds: 12 * 3600,
      consoleSessionSeconds: 7 * 86_400,
    });
  });

  it('takes a console idle timeout of 1 to 720 hours and a lifetime of 1 to 90 days', () => {
    const config = readConfig({ ...env, CONSOLE_IDLE_HOURS: '1', CONSOLE_SESSION_DAYS: '90' });
    expect([config.consoleIdleSeconds, config.consoleSessionSeconds]).toEqual([3600, 90 * 86_400]);
    for (const bad of ['0', '721', '1.5', 'ten'])
      expect(() => readConfig({ ...env, CONSOLE_IDLE_HOURS: bad })).toThrowError(/CONSOLE_IDLE_HOURS/);
    for (const bad of ['0', '91', 'a week'])
      expect(() => readConfig({ ...env, CONSOLE_SESSION_DAYS: bad })).toThrowError(/CONSOLE_SESSION_DAYS/);
  });

  it("names the platform's git host only when one is set", () => {
    expect(readConfig(env).gitHost).toBeUndefined();
    expect(readConfig({ ...env, GIT_HOST: ' Git.Example.com ' }).gitHost).toBe('git.example.com');
  });

  it('takes a recent-MFA window of 0 (off) to 3600 seconds, nothing else', () => {
    expect(readConfig({ ...env, RECENT_MFA_SECONDS: '0' }).recentSecondFactorSeconds).toBe(0);
    expect(readConfig({ ...env, RECENT_MFA_SECONDS: '3600' }).recentSecondFactorSeconds).toBe(3600);
    for (const bad of ['-1', '3601', '1.5', 'ten'])
      expect(() => readConfig({ ...env, RECENT_MFA_SECONDS: bad })).toThrowError(/RECENT_MFA_SECONDS/);
  });

  it.each(['TABLE_NAME', 'MAIL_FROM', 'PUBLIC_BASE_URL'])('names a missing %s', (name) => {
    expect(() => readConfig({ ...env, [name]: ' ' })).toThrowError(
      new ConfigError(`Missing environment variable ${name}`),
    );
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => readConfig({ ...env, PUBLIC_BASE_URL: 'ftp://x' })).toThrowError(/http/);
    expect(() => readConfig({ ...env, PUBLIC_BASE_URL: 'not a url' })).toThrowError(/not a URL/);
  });
});

describe('the breached-password check setting', () => {
  it('is off unless switched on, and then asks the public range API', () => {
    expect(readConfig(env).breachedPasswordCheck).toBeUndefined();
    expect(readConfig({ ...env, BREACHED_PASSWORD_CHECK: 'on' }).breachedPasswordCheck).toEqual({
      url: 'https://api.pwnedpasswords.com/range/',
      timeoutMs: 1500,
    });
    expect(() => readConfig({ ...env, BREACHED_PASSWORD_CHECK: 'yes' })).toThrowError(/on or off/);
  });
});

describe('the retention of unconfirmed signups', () => {
  it('is 7 days unless set, and a whole number of days', () => {
    expect(readConfig({ ...env, UNCONFIRMED_RETENTION_DAYS: '30' }).unconfirmedRetentionDays).toBe(30);
    expect(() => readConfig({ ...env, UNCONFIRMED_RETENTION_DAYS: '1.5' })).toThrowError(/whole number/);
    expect(() => readConfig({ ...env, UNCONFIRMED_RETENTION_DAYS: '0' })).toThrowError(/whole number/);
  });
});

describe('the MFA key setting', () => {
  it('takes material directly, or a Secrets Manager ARN, or nothing', () => {
    const material = 'm'.repeat(32);
    expect(readConfig({ ...env, MFA_ENCRYPTION_KEY: material }).mfaKey).toEqual({ value: material });
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mfa-AbCdEf';
    expect(readConfig({ ...env, MFA_ENCRYPTION_KEY_SECRET_ARN: arn }).mfaKey).toEqual({ secretArn: arn });
    expect(readConfig(env).mfaKey).toBeUndefined();
  });

  it('refuses material too short to be a key', () => {
    expect(() => readConfig({ ...env, MFA_ENCRYPTION_KEY: 'short' })).toThrowError(/at least 32/);
  });
});

describe('the Stripe settings', () => {
  it('are off without a publishable key, and a secret key alone is a mistake', () => {
    expect(readStripe(env)).toBeUndefined();
    expect(() => readStripe({ ...env, STRIPE_SECRETS_ARN: 'arn:x' })).toThrowError(
      /without STRIPE_PUBLISHABLE_KEY/,
    );
  });

  it('load in a function that has the publishable key but not the secret (all but the billing ones)', () => {
    // Every deployed function gets the publishable key; only those that call Stripe get the secret.
    expect(readStripe({ ...env, STRIPE_PUBLISHABLE_KEY: 'pk_test_a' })).toEqual({
      publishableKey: 'pk_test_a',
      secretKey: undefined,
      webhookSecret: undefined,
      api: undefined,
    });
    // Deployed, one secret holds both, a field each.
    const deployed = readStripe({ ...env, STRIPE_PUBLISHABLE_KEY: 'pk_test_a', STRIPE_SECRETS_ARN: 'arn:s' });
    expect(deployed?.secretKey).toEqual({ secretArn: 'arn:s', field: 'secretKey' });
    expect(deployed?.webhookSecret).toEqual({ secretArn: 'arn:s', field: 'webhookSecret' });
  });
});

describe('the Google settings', () => {
  it("are off without a client id, and default to Google's endpoints", () => {
    expect(readGoogle(env)).toBeUndefined();
    expect(readGoogle({ ...env, GOOGLE_CLIENT_ID: 'id.apps' })).toEqual({
      clientId: 'id.apps',
      clientSecret: undefined,
      authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenEndpoint: 'https://oauth2.googleapis.com/token',
      jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
      issuers: ['https://accounts.google.com', 'accounts.google.com'],
    });
  });

  it('name the setting that is not a URL', () => {
    expect(() => readGoogle({ ...env, GOOGLE_CLIENT_ID: 'id', GOOGLE_TOKEN_ENDPOINT: 'nope' })).toThrowError(
      /GOOGLE_TOKEN_ENDPOINT is not a URL/,
    );
  });
});
