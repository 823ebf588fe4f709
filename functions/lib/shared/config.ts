// Environment read once per cold start and checked, so a misconfigured function fails on its first
// request with a message that names the variable, not with an SDK error deep inside a handler.

export interface Config {
  /** DynamoDB single table. */
  readonly tableName: string;
  /** `From` of every mail, e.g. `Gatehouse <no-reply@example.com>`. */
  readonly mailFrom: string;
  /** Origin that links in mails point at; never taken from the request's Host header. */
  readonly publicBaseUrl: string;
  /** `dev`, `staging`, `prod`, ...: only used in logs and to relax nothing security-related. */
  readonly stage: string;
  /** The breached-password check, when on (BREACHED_PASSWORD_CHECK=on): off locally and in tests. */
  readonly breachedPasswordCheck?: { readonly url: string; readonly timeoutMs: number };
  /** Days an account may stay UNCONFIRMED before the cleanup removes it (UNCONFIRMED_RETENTION_DAYS). */
  readonly unconfirmedRetentionDays: number;
  /**
   * Key material that TOTP secrets are encrypted under: given directly (MFA_ENCRYPTION_KEY, locally
   * and in tests) or as a Secrets Manager secret (MFA_ENCRYPTION_KEY_SECRET_ARN, deployed). Only
   * the functions that handle second factors have it.
   */
  readonly mfaKey?: SecretSource;
  /**
   * How long a key minted by a login that passed the second factor counts as a fresh second factor
   * for factor changes and deletion (RECENT_MFA_SECONDS, default 600; 0 turns it off).
   */
  readonly recentSecondFactorSeconds: number;
  /**
   * A web console session ends after this long without a request (CONSOLE_IDLE_HOURS, default 12)
   * and this long after its login whatever happens (CONSOLE_SESSION_DAYS, default 7).
   */
  readonly consoleIdleSeconds: number;
  readonly consoleSessionSeconds: number;
  /** The account deletion workflow (DELETION_STATE_MACHINE_ARN): only the destroy endpoint has it. */
  readonly deletionStateMachineArn?: string;
  /** The bus lifecycle events go to (EVENT_BUS_NAME): only the publisher has it. */
  readonly eventBusName?: string;
  /** The platform's git host (GIT_HOST), told to clients: the CLI keeps the same key for it. */
  readonly gitHost?: string;
}

export interface StripeConfig {
  /** Only the functions that call Stripe have it; every function has the publishable key. */
  readonly secretKey?: SecretSource;
  /** Given to clients, which turn card details into a token or PaymentMethod with it. */
  readonly publishableKey: string;
  /** Only the webhook function has it. */
  readonly webhookSecret?: SecretSource;
  /** Where the SDK sends requests: Stripe by default, a local stand-in in tests and `npm start`. */
  readonly api?: { readonly host: string; readonly port: number; readonly protocol: 'http' | 'https' };
}

/**
 * A secret given directly (locally, in tests) or as a Secrets Manager ARN (deployed), or one field
 * of a secret holding a JSON object (Stripe's two secrets share one): adapters/secrets-manager.ts.
 */
export type SecretSource =
  | { readonly value: string }
  | { readonly secretArn: string; readonly field?: string };

export interface GoogleConfig {
  readonly clientId: string;
  /** Only the function that exchanges codes (the callback) has it. */
  readonly clientSecret?: SecretSource;
  /** Google's endpoints by default; a local OpenID provider's in tests and `npm start`. */
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  /** Accepted `iss` values of ID tokens. */
  readonly issuers: readonly string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`Missing environment variable ${name}`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const publicBaseUrl = required(env, 'PUBLIC_BASE_URL').replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(publicBaseUrl);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL is not a URL: ${publicBaseUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`PUBLIC_BASE_URL must be http(s): ${publicBaseUrl}`);
  }
  const breached = env.BREACHED_PASSWORD_CHECK?.trim() || 'off';
  if (breached !== 'on' && breached !== 'off') {
    throw new ConfigError(`BREACHED_PASSWORD_CHECK must be on or off: ${breached}`);
  }
  const retention = Number(env.UNCONFIRMED_RETENTION_DAYS?.trim() || '7');
  if (!Number.isInteger(retention) || retention < 1) {
    throw new ConfigError(
      `UNCONFIRMED_RETENTION_DAYS must be a whole number of days: ${env.UNCONFIRMED_RETENTION_DAYS}`,
    );
  }
  const recent = Number(env.RECENT_MFA_SECONDS?.trim() || '600');
  // More than an hour would make a day's stolen key a factor of its own.
  if (!Number.isInteger(recent) || recent < 0 || recent > 3600) {
    throw new ConfigError(`RECENT_MFA_SECONDS must be 0 to 3600 seconds: ${env.RECENT_MFA_SECONDS}`);
  }
  const idleHours = Number(env.CONSOLE_IDLE_HOURS?.trim() || '12');
  const sessionDays = Number(env.CONSOLE_SESSION_DAYS?.trim() || '7');
  if (!Number.isInteger(idleHours) || idleHours < 1 || idleHours > 24 * 30)
    throw new ConfigError(`CONSOLE_IDLE_HOURS must be 1 to 720 hours: ${env.CONSOLE_IDLE_HOURS}`);
  if (!Number.isInteger(sessionDays) || sessionDays < 1 || sessionDays > 90)
    throw new ConfigError(`CONSOLE_SESSION_DAYS must be 1 to 90 days: ${env.CONSOLE_SESSION_DAYS}`);
  const mfaKey = secretSource(env, 'MFA_ENCRYPTION_KEY', 'MFA_ENCRYPTION_KEY_SECRET_ARN');
  if (mfaKey && 'value' in mfaKey && mfaKey.value.length < 32) {
    throw new ConfigError('MFA_ENCRYPTION_KEY must be at least 32 characters of random material');
  }
  return {
    unconfirmedRetentionDays: retention,
    recentSecondFactorSeconds: recent,
    consoleIdleSeconds: idleHours * 3600,
    consoleSessionSeconds: sessionDays * 86_400,
    mfaKey,
    deletionStateMachineArn: env.DELETION_STATE_MACHINE_ARN?.trim() || undefined,
    gitHost: env.GIT_HOST?.trim().toLowerCase() || undefined,
    eventBusName: env.EVENT_BUS_NAME?.trim() || undefined,
    tableName: required(env, 'TABLE_NAME'),
    mailFrom: required(env, 'MAIL_FROM'),
    publicBaseUrl,
    stage: env.STAGE?.trim() || 'dev',
    breachedPasswordCheck:
      breached === 'on'
        ? { url: env.PWNED_PASSWORDS_URL?.trim() || 'https://api.pwnedpasswords.com/range/', timeoutMs: 1500 }
        : undefined,
  };
}

function secretSource(env: NodeJS.ProcessEnv, valueName: string, arnName: string): SecretSource | undefined {
  const value = env[valueName]?.trim();
  if (value) return { value };
  const secretArn = env[arnName]?.trim();
  return secretArn ? { secretArn } : undefined;
}

function urlSetting(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a URL: ${value}`);
  }
  return value;
}

/** Google sign-in, when configured (GOOGLE_CLIENT_ID and its secret); the routes answer 501 otherwise. */
export function readGoogle(env: NodeJS.ProcessEnv = process.env): GoogleConfig | undefined {
  const clientId = env.GOOGLE_CLIENT_ID?.trim();
  if (!clientId) return undefined;
  return {
    clientId,
    clientSecret: secretSource(env, 'GOOGLE_CLIENT_SECRET', 'GOOGLE_CLIENT_SECRET_ARN'),
    authorizationEndpoint: urlSetting(
      env,
      'GOOGLE_AUTHORIZATION_ENDPOINT',
      'https://accounts.google.com/o/oauth2/v2/auth',
    ),
    tokenEndpoint: urlSetting(env, 'GOOGLE_TOKEN_ENDPOINT', 'https://oauth2.googleapis.com/token'),
    jwksUri: urlSetting(env, 'GOOGLE_JWKS_URI', 'https://www.googleapis.com/oauth2/v3/certs'),
    issuers: (env.GOOGLE_ISSUERS?.trim() || 'https://accounts.google.com,accounts.google.com')
      .split(',')
      .map((issuer) => issuer.trim())
      .filter(Boolean),
  };
}

/**
 * Stripe, when configured (STRIPE_PUBLISHABLE_KEY, and the secret key where Stripe is called);
 * billing answers 501 otherwise.
 */
export function readStripe(env: NodeJS.ProcessEnv = process.env): StripeConfig | undefined {
  // Deployed, one secret holds both (STRIPE_SECRETS_ARN: {"secretKey", "webhookSecret"}).
  const secretsArn = env.STRIPE_SECRETS_ARN?.trim();
  const fieldOf = (field: string): SecretSource | undefined =>
    secretsArn ? { secretArn: secretsArn, field } : undefined;
  const given = (name: string): SecretSource | undefined => {
    const value = env[name]?.trim();
    return value ? { value } : undefined;
  };
  const secretKey = given('STRIPE_SECRET_KEY') ?? fieldOf('secretKey');
  const webhookSecret = given('STRIPE_WEBHOOK_SECRET') ?? fieldOf('webhookSecret');
  const publishableKey = env.STRIPE_PUBLISHABLE_KEY?.trim();
  if (!publishableKey) {
    if (secretKey)
      throw new ConfigError(
        'STRIPE_SECRET_KEY (or STRIPE_SECRETS_ARN) is set without STRIPE_PUBLISHABLE_KEY',
      );
    return undefined;
  }
  const host = env.STRIPE_API_HOST?.trim();
  const protocol = env.STRIPE_API_PROTOCOL?.trim() || 'https';
  const port = Number(env.STRIPE_API_PORT?.trim() || (protocol === 'http' ? 80 : 443));
  if (protocol !== 'http' && protocol !== 'https')
    throw new ConfigError(`STRIPE_API_PROTOCOL must be http or https: ${protocol}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ConfigError(`STRIPE_API_PORT is not a port: ${env.STRIPE_API_PORT}`);
  return {
    secretKey,
    publishableKey,
    webhookSecret,
    api: host ? { host, port, protocol } : undefined,
  };
}

let cached: Config | undefined;

/** The configuration of this process, read on first use and kept for the life of the container. */
export function config(): Config {
  cached ??= readConfig();
  return cached;
}

// Google's and Stripe's settings, read apart from the rest: the few functions that use them hold
// their readers, and the others' cold starts do not (bench/cold-start.ts).
let google: { readonly settings?: GoogleConfig } | undefined;
let stripe: { readonly settings?: StripeConfig } | undefined;

/** Google sign-in's settings in this process, or undefined where the deployment has none. */
export function googleSettings(): GoogleConfig | undefined {
  google ??= { settings: readGoogle() };
  return google.settings;
}

/** Stripe's settings in this process, or undefined where the deployment has none. */
export function stripeSettings(): StripeConfig | undefined {
  stripe ??= { settings: readStripe() };
  return stripe.settings;
}
