// Deployment settings from CDK context (cdk.json or `-c key=value`), checked before anything is
// built: a typo fails the synth with a message, not the first request in production.
import type { Node } from 'constructs';

export interface Settings {
  /** `dev` stages may be destroyed with their data; every other stage keeps it. */
  readonly stage: string;
  /** `From` of every mail; its address must belong to `mailIdentity`. */
  readonly mailFrom: string;
  /** The SES identity (domain or address) this stack may send from. */
  readonly mailIdentity: string;
  /** Origin of links in mails; the API's own URL when not set. */
  readonly publicBaseUrl?: string;
  /** Ask the Pwned Passwords range API about new passwords (k-anonymity). Default on. */
  readonly breachedPasswordCheck: boolean;
  /** How often the cleanup of unconfirmed signups runs, in minutes. Default 60. */
  readonly cleanupEveryMinutes: number;
  /** Days an account may stay unconfirmed before the cleanup removes it. Default 7. */
  readonly unconfirmedRetentionDays: number;
  /**
   * Minutes a key minted by a login that passed MFA stands for a fresh second factor (turning MFA
   * off, new recovery codes, deletion: the Gigalixir CLI sends no code there). 0 to 60, default 10.
   */
  readonly recentMfaMinutes: number;
  /** A web console session ends this long without a request (1 to 720 hours, default 12)... */
  readonly consoleIdleHours: number;
  /** ...and this long after its login (1 to 90 days, default 7). */
  readonly consoleSessionDays: number;
  /** Google sign-in: the OAuth client id and the ARN of the secret holding its client secret. */
  readonly google?: { readonly clientId: string; readonly clientSecretArn: string };
  /** An SNS topic every alarm notifies (gatehouse:alarmTopicArn); alarms only show in CloudWatch without it. */
  readonly alarmTopicArn?: string;
  /**
   * Reserve concurrency for the routes that hash passwords (functions/routes.ts), capping what a
   * flood can cost. Default on, except in dev: an account whose Lambda quota is still the new
   * account's 10 cannot reserve any (ask AWS for more, or set gatehouse:reservedConcurrency=off).
   */
  readonly reservedConcurrency: boolean;
  /**
   * A custom domain for the API (gatehouse:domainName) with a regional ACM certificate for it in
   * the stack's region (gatehouse:certificateArn). Links in mails then point at it by default.
   */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /**
   * Stripe: the publishable key and the ARN of the one secret holding the secret key and the
   * webhook's signing secret (JSON `{"secretKey", "webhookSecret"}`: one secret, not two, is $0.40
   * a month less; whoever may call Stripe with the key gains nothing from the signing secret).
   */
  readonly stripe?: { readonly publishableKey: string; readonly secretsArn: string };
  /**
   * IAM roles of the platform's own services (the git host, ...) that may invoke the lookup function
   * (gatehouse:platformRoleArns, comma-separated). docs/integration.md.
   */
  readonly platformRoleArns: readonly string[];
  /**
   * The platform's git host (gatehouse:gitHost), named by `/api/public/config`: `gatehouse login`
   * writes the key for it in netrc too, so `git push` authenticates with the same key.
   */
  readonly gitHost?: string;
  /**
   * How long account deletion waits for the platform's cleanup (gatehouse:platformCleanupHours,
   * 1 to 720): the platform's roles answer the account.deletion_requested event's task token.
   * Undefined: no wait. docs/integration.md.
   */
  readonly platformCleanupHours?: number;
}

const get = (node: Node, key: string): string | undefined => {
  const value = node.tryGetContext(`gatehouse:${key}`);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new Error(`Context gatehouse:${key} must be a string`);
  return value.trim();
};

function wholeNumber(node: Node, key: string, fallback: number): number {
  const raw = get(node, key);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`Context gatehouse:${key} must be a whole number ≥ 1: ${raw}`);
  return value;
}

function wholeNumberUpTo(node: Node, key: string, fallback: number, max: number): number {
  const value = wholeNumber(node, key, fallback);
  if (value > max)
    throw new Error(`Context gatehouse:${key} must be a whole number from 1 to ${max}: ${value}`);
  return value;
}

function minutesUpToAnHour(node: Node, key: string, fallback: number): number {
  const raw = get(node, key);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 60)
    throw new Error(`Context gatehouse:${key} must be a whole number of minutes from 0 to 60: ${raw}`);
  return value;
}

/** A lower-case DNS name of two labels or more (an internationalised one in its xn-- form). */
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** A Secrets Manager secret's complete ARN (with the six-character suffix). */
const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/;

/** The address inside `Name <address>`, or the whole value. */
export const mailAddress = (from: string): string => /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;

export function readSettings(node: Node): Settings {
  const stage = get(node, 'stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(stage))
    throw new Error(`Context gatehouse:stage is not a stage name: ${stage}`);
  const mailFrom = get(node, 'mailFrom');
  const mailIdentity = get(node, 'mailIdentity');
  if (!mailFrom || !mailIdentity) {
    throw new Error('Set context gatehouse:mailFrom and gatehouse:mailIdentity (the verified SES identity)');
  }
  const address = mailAddress(mailFrom);
  if (!/^[^\s@]+@[^\s@]+$/.test(address))
    throw new Error(`Context gatehouse:mailFrom has no address: ${mailFrom}`);
  if (address !== mailIdentity && !address.endsWith(`@${mailIdentity}`)) {
    throw new Error(
      `gatehouse:mailFrom (${address}) is not in the identity gatehouse:mailIdentity (${mailIdentity})`,
    );
  }
  const publicBaseUrl = get(node, 'publicBaseUrl');
  if (publicBaseUrl !== undefined && !/^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicBaseUrl)) {
    throw new Error(`Context gatehouse:publicBaseUrl must be an https URL: ${publicBaseUrl}`);
  }
  const breached = get(node, 'breachedPasswordCheck') ?? 'on';
  if (breached !== 'on' && breached !== 'off') {
    throw new Error(`Context gatehouse:breachedPasswordCheck must be on or off: ${breached}`);
  }
  const googleClientId = get(node, 'googleClientId');
  const googleClientSecretArn = get(node, 'googleClientSecretArn');
  if ((googleClientId === undefined) !== (googleClientSecretArn === undefined)) {
    throw new Error('Set both gatehouse:googleClientId and gatehouse:googleClientSecretArn, or neither');
  }
  if (googleClientSecretArn !== undefined && !SECRET_ARN.test(googleClientSecretArn)) {
    throw new Error(
      `Context gatehouse:googleClientSecretArn must be a secret's complete ARN: ${googleClientSecretArn}`,
    );
  }
  const stripePublishableKey = get(node, 'stripePublishableKey');
  const stripeSecretsArn = get(node, 'stripeSecretsArn');
  for (const old of ['stripeSecretKeyArn', 'stripeWebhookSecretArn']) {
    if (get(node, old) !== undefined)
      throw new Error(
        `Context gatehouse:${old} is gone: set gatehouse:stripeSecretsArn, one secret holding {"secretKey": "sk_…", "webhookSecret": "whsec_…"} (docs/deploy.md)`,
      );
  }
  if ((stripePublishableKey === undefined) !== (stripeSecretsArn === undefined)) {
    throw new Error('Set both gatehouse:stripePublishableKey and gatehouse:stripeSecretsArn, or neither');
  }
  if (stripePublishableKey !== undefined && !/^pk_(test|live)_\w+$/.test(stripePublishableKey)) {
    throw new Error(
      `Context gatehouse:stripePublishableKey is not a publishable key: ${stripePublishableKey}`,
    );
  }
  if (stripeSecretsArn !== undefined && !SECRET_ARN.test(stripeSecretsArn)) {
    throw new Error(
      `Context gatehouse:stripeSecretsArn must be a secret's complete ARN: ${stripeSecretsArn}`,
    );
  }
  const alarmTopicArn = get(node, 'alarmTopicArn');
  if (alarmTopicArn !== undefined && !/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]{1,256}$/.test(alarmTopicArn)) {
    throw new Error(`Context gatehouse:alarmTopicArn is not an SNS topic ARN: ${alarmTopicArn}`);
  }
  const domainName = get(node, 'domainName');
  const certificateArn = get(node, 'certificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error('Set both gatehouse:domainName and gatehouse:certificateArn, or neither');
  }
  if (domainName !== undefined && !DOMAIN_NAME.test(domainName)) {
    throw new Error(`Context gatehouse:domainName is not a lower-case domain name: ${domainName}`);
  }
  if (
    certificateArn !== undefined &&
    !/^arn:aws[\w-]*:acm:[\w-]+:\d{12}:certificate\/[\w-]+$/.test(certificateArn)
  ) {
    throw new Error(`Context gatehouse:certificateArn is not an ACM certificate ARN: ${certificateArn}`);
  }
  const platformRoleArns = (get(node, 'platformRoleArns') ?? '')
    .split(',')
    .map((arn) => arn.trim())
    .filter((arn) => arn !== '');
  for (const arn of platformRoleArns) {
    if (!/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(arn))
      throw new Error(`Context gatehouse:platformRoleArns must list IAM role ARNs: ${arn}`);
  }
  const gitHost = get(node, 'gitHost');
  if (gitHost !== undefined && !DOMAIN_NAME.test(gitHost)) {
    throw new Error(`Context gatehouse:gitHost is not a lower-case host name: ${gitHost}`);
  }
  const cleanupHours = get(node, 'platformCleanupHours');
  const platformCleanupHours = cleanupHours === undefined ? undefined : Number(cleanupHours);
  if (
    platformCleanupHours !== undefined &&
    (!Number.isInteger(platformCleanupHours) || platformCleanupHours < 1 || platformCleanupHours > 720)
  ) {
    throw new Error(
      `Context gatehouse:platformCleanupHours must be a whole number from 1 to 720: ${cleanupHours}`,
    );
  }
  if (platformCleanupHours !== undefined && platformRoleArns.length === 0) {
    throw new Error(
      'Context gatehouse:platformCleanupHours needs gatehouse:platformRoleArns: the roles that report the cleanup done',
    );
  }
  const reserved = get(node, 'reservedConcurrency') ?? (stage === 'dev' ? 'off' : 'on');
  if (reserved !== 'on' && reserved !== 'off') {
    throw new Error(`Context gatehouse:reservedConcurrency must be on or off: ${reserved}`);
  }
  return {
    stage,
    domain: domainName && certificateArn ? { name: domainName, certificateArn } : undefined,
    alarmTopicArn,
    reservedConcurrency: reserved === 'on',
    stripe:
      stripePublishableKey && stripeSecretsArn
        ? { publishableKey: stripePublishableKey, secretsArn: stripeSecretsArn }
        : undefined,
    google:
      googleClientId && googleClientSecretArn
        ? { clientId: googleClientId, clientSecretArn: googleClientSecretArn }
        : undefined,
    cleanupEveryMinutes: wholeNumber(node, 'cleanupEveryMinutes', 60),
    unconfirmedRetentionDays: wholeNumber(node, 'unconfirmedRetentionDays', 7),
    recentMfaMinutes: minutesUpToAnHour(node, 'recentMfaMinutes', 10),
    consoleIdleHours: wholeNumberUpTo(node, 'consoleIdleHours', 12, 720),
    consoleSessionDays: wholeNumberUpTo(node, 'consoleSessionDays', 7, 90),
    mailFrom,
    mailIdentity,
    publicBaseUrl: publicBaseUrl?.replace(/\/+$/, ''),
    breachedPasswordCheck: breached === 'on',
    platformRoleArns,
    gitHost,
    platformCleanupHours,
  };
}
