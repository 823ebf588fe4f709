// The lookup a platform service that is not behind HTTP asks (the git host, a shell host): invoked
// with IAM (`lambda:InvokeFunction`, granted to the roles named by gatehouse:platformRoleArns), it
// answers the account context for `{"apiKey"}` (with `"email"`, when the client sent one) or for
// `{"sshKeyFingerprint"}` (OpenSSH's `SHA256:…`), or `{"account": null}`: a revoked or removed key,
// or an account being deleted, answers nothing. docs/integration.md.
import { isSuspended } from '#domain/account.ts';
import { normalizeEmail } from '#domain/email.ts';
import { ValidationError } from '#domain/errors.ts';
import { nowSeconds } from '#domain/tokens.ts';
import {
  type AccountContext,
  accountContext,
  isExpiredKey,
  verifyApiKey,
  verifySshKey,
} from '#services/key-verification.ts';

export type LookupRequest =
  | { readonly apiKey: string; readonly email?: string }
  | { readonly sshKeyFingerprint: string };

export interface LookupAnswer {
  readonly account: AccountContext | null;
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const NOTHING: LookupAnswer = { account: null };

const text = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

/** The address a client named, or one no account has when it names none (a wrong credential). */
function addressOf(email: string): string {
  try {
    return normalizeEmail(email);
  } catch (err) {
    if (err instanceof ValidationError) return '';
    throw err;
  }
}

export async function lookup(request: unknown, now = nowSeconds()): Promise<LookupAnswer> {
  const input = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  const fields = Object.keys(input).sort().join(',');
  if (fields === 'sshKeyFingerprint' && text(input.sshKeyFingerprint, 64)) {
    if (!FINGERPRINT.test(input.sshKeyFingerprint)) return NOTHING;
    const found = await verifySshKey(input.sshKeyFingerprint);
    return found ? { account: accountContext(found.user, 'ssh_key', found.sshKeyId, 'full') } : NOTHING;
  }
  if ((fields === 'apiKey' || fields === 'apiKey,email') && text(input.apiKey, 512)) {
    if (input.email !== undefined && !text(input.email, 320)) throw invalid();
    const email = input.email === undefined ? undefined : addressOf(input.email as string);
    const verified = await verifyApiKey(
      { secret: input.apiKey, ...(email === undefined ? {} : { email }) },
      now,
    );
    if (!verified || isExpiredKey(verified) || isSuspended(verified.user)) return NOTHING;
    return {
      account: accountContext(verified.user, 'api_key', verified.record.keyId, verified.record.scope),
    };
  }
  throw invalid();
}

// A caller's mistake, not a refused credential: the invocation fails with this message.
const invalid = () =>
  new ValidationError('', 'Send {"apiKey"} (with "email" when the client sent one) or {"sshKeyFingerprint"}');

export const handler = (event: unknown): Promise<LookupAnswer> => lookup(event);
