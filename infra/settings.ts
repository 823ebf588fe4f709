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
  /** Google sign-in: the OAuth client id and the ARN of the secret holding its client secret. */
  readonly google?: { readonly clientId: string; readonly clientSecretArn: string };
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
  if (
    googleClientSecretArn !== undefined &&
    !/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/.test(googleClientSecretArn)
  ) {
    throw new Error(
      `Context gatehouse:googleClientSecretArn must be a secret's complete ARN: ${googleClientSecretArn}`,
    );
  }
  return {
    stage,
    google:
      googleClientId && googleClientSecretArn
        ? { clientId: googleClientId, clientSecretArn: googleClientSecretArn }
        : undefined,
    cleanupEveryMinutes: wholeNumber(node, 'cleanupEveryMinutes', 60),
    unconfirmedRetentionDays: wholeNumber(node, 'unconfirmedRetentionDays', 7),
    mailFrom,
    mailIdentity,
    publicBaseUrl: publicBaseUrl?.replace(/\/+$/, ''),
    breachedPasswordCheck: breached === 'on',
  };
}
