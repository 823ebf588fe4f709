// GET /api/login with Basic `email:password` (and `?mfa_token=` when MFA is on): mints a new API key. Every wrong credential gets
// the same 401; an unknown address still pays for a hash, and every refusal leaves no sooner than
// the enumeration floor, so timing does not tell either.

import type { Context } from 'hono';
import { handle } from 'hono/aws-lambda';
import { enforceKeyLimit, listApiKeys, newKeyRecord, revokeApiKey, writeApiKey } from '#data/api-keys.ts';
import { knownDevices } from '#data/devices.ts';
import { countFailedLogin } from '#data/events.ts';
import { emailOwner, getUser, ownerAccount, replacePasswordHash } from '#data/profiles.ts';
import { type Account, isActive, isDeleting, isSuspended, isUnconfirmed } from '#domain/account.ts';
import { newApiKey } from '#domain/api-keys.ts';
import { AccountSuspendedError, AuthenticationError, ConflictError } from '#domain/errors.ts';
import { ACCOUNT_DELETING, CONFIRM_FIRST } from '#domain/messages.ts';
import {
  burnPasswordCheck,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  needsRehash,
  verifyPassword,
} from '#domain/passwords.ts';
import { createApp } from '#http/app.ts';
import { passwordCredentials } from '#http/auth.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { requestNow, requestOrigin, requestTime } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { failureFloor } from '#http/timing.ts';
import { audit, auditItem, auditLog } from '#services/audit.ts';
import { loginThrottle } from '#services/login-throttle.ts';
import { signedIn } from '#services/new-device.ts';
import { requireSecondFactor } from '#services/second-factor.ts';

/**
 * The account of the address (if any), its id read with the throttle's counters, and whether the
 * password is its own; always one argon2id.
 */
async function checkPassword(
  owner: Promise<string | undefined>,
  password: string,
): Promise<{ user?: Account; valid: boolean }> {
  // No account has a longer password; refuse before spending a hash on it.
  if ([...password].length > MAX_PASSWORD_LENGTH) return { valid: false };
  const user = await ownerAccount(await owner);
  if (!user) {
    await burnPasswordCheck(password);
    return { valid: false };
  }
  return { user, valid: await verifyPassword(password, user.passwordHash) };
}

/**
 * The per-IP ceiling and the login throttle, counted at once (one round trip, with the address's
 * owner read beside them). A ceiling's refusal takes the attempt back for the address, as the
 * throttle's own refusals do.
 */
async function countAttempt(c: Context, email: string, owner: Promise<string | undefined>) {
  const [ceiling, attempt] = await Promise.allSettled([
    limitPerIp(c, 'login'),
    loginThrottle.attempt(email, requestOrigin(c).ip, requestNow(c), () => owner),
  ]);
  if (ceiling.status === 'rejected') {
    if (attempt.status === 'fulfilled') await attempt.value.refused();
    throw ceiling.reason;
  }
  if (attempt.status === 'rejected') throw attempt.reason;
  return attempt.value;
}

export const doc: EndpointDoc = {
  get: {
    summary: 'Log in: a new API key',
    description:
      'Basic `email:password` mints a new API key (an account keeps at most 50: the oldest is revoked). With MFA on, a request without `mfa_token` is answered 303 and not counted as a failure: ask for a code and send it again with it. Failed logins are counted per address and source (the IP, or an IPv6 /64): after 5 in a row from one source each further attempt from it, even with the right password, waits 2 s, then 4 s, ... up to 15 minutes. After 50 wrong passwords from all sources together, sources that have never logged in to the address (nor reset its password) get one password checked between them every 15 minutes; those that have keep their own budget, so a stranger’s guesses never keep the owner out. A refused attempt is not counted for the address and does not prolong its wait; every refusal takes at least 300 ms.',
    auth: 'password',
    query: {
      mfa_token: {
        description:
          'A current code from the authenticator app, or an unused recovery code: needed when MFA is on',
      },
    },
    responses: {
      200: 'The new API key',
      303: 'The password is right and MFA is on, but mfa_token is missing or empty, or wrong, used already or over 64 characters (errors.mfa_token says which; no Location)',
      400: 'Malformed Authorization header',
      401: 'No Basic credentials, a user part that is not an email address, an unknown address or a wrong password; or, with the right password, an address not confirmed yet or an account being deleted',
      403: 'The right password, but an operator suspended the account: contact support (asked before any second factor)',
      409: 'The account changed during the login (MFA switched on or off, a deletion requested, or the account suspended): log in again',
      429: 'Too many logins from this IP (60 a minute); too many failed logins for this address from this source (5); or over 50 wrong passwords from every source together, for a source this address has never logged in from (one check every 15 minutes; Retry-After says when to try again)',
    },
    data: {
      type: 'object',
      required: ['key'],
      additionalProperties: false,
      properties: { key: { type: 'string', description: 'The API key: send it as Bearer' } },
    },
  },
};

export const app = createApp().get('/api/login', failureFloor(), async (c) => {
  const { email, password } = passwordCredentials(c);
  const now = requestNow(c);
  const origin = requestOrigin(c);
  const owner = emailOwner(email);
  owner.catch(() => undefined);
  const attempt = await countAttempt(c, email, owner);
  const { user, valid } = await checkPassword(owner, password);
  if (!user || !valid) {
    // Every failure is logged; under the account it is counted, one item a day, so that nobody
    // without the password can pile up items under an account (nor any under one being purged).
    auditLog({ name: 'login.failed', ...origin, userId: user?.userId });
    if (user && !isDeleting(user)) await countFailedLogin(user.userId, origin, now, requestTime(c).at);
    throw new AuthenticationError();
  }
  // Before the second factor: a suspended account spends no code and is mailed nothing.
  if (isSuspended(user)) {
    await attempt.forgive();
    throw new AccountSuspendedError();
  }
  const secondFactor = user.mfaEnabled
    ? await requireSecondFactor(user, c.req.query('mfa_token'), now, origin, attempt)
    : undefined;
  // Only someone who knows the password learns that the address is unconfirmed, or going. The
  // right password is no failure, but trusts no source: nobody has proven an unconfirmed address.
  if (!isActive(user)) {
    await attempt.forgive();
    throw new AuthenticationError(isUnconfirmed(user) ? CONFIRM_FIRST : ACCOUNT_DELETING);
  }
  const key = newApiKey(user.userId);
  const events = [
    {
      name: 'login.succeeded',
      userId: user.userId,
      ...origin,
      detail: { secondFactor: secondFactor ?? 'none' },
    },
    { name: 'api_key.minted', userId: user.userId, ...origin, detail: { keyId: key.id } },
  ] as const;
  const record = newKeyRecord(user.userId, key, requestTime(c).at, {
    origin,
    secondFactor: secondFactor ? { at: now, after: 'password' } : undefined,
  });
  // Everything the right password leads to, at once: the throttle's success, a rehash, the key
  // with its audit events, the account's keys (for the limit) and its devices (a new one is news).
  const [, , , listed, devices] = await Promise.all([
    attempt.succeed(user.userId),
    needsRehash(user.passwordHash)
      ? hashPassword(password).then((hash) => replacePasswordHash(user.userId, user.passwordHash, hash))
      : undefined,
    writeApiKey(
      record,
      events.map((e) => auditItem(e, now)),
    ),
    listApiKeys(user.userId),
    knownDevices(user.userId),
  ]);
  for (const e of events) auditLog(e);
  // The guard, read after the key was written: MFA switched on or off since the profile was read
  // (this login never passed it), a deletion requested, or the account suspended. Nobody has the key yet, so taking it
  // back now is as if it had never been; the oldest keys beyond the limit go meanwhile.
  const [current] = await Promise.all([
    getUser(user.userId),
    enforceKeyLimit(user.userId, key.id, now, listed),
  ]);
  if (!current || current.mfaEnabled !== user.mfaEnabled || !isActive(current) || isSuspended(current)) {
    await revokeApiKey(user.userId, key.id);
    const revoked = {
      name: 'api_key.revoked',
      userId: user.userId,
      ...origin,
      detail: { keyId: key.id, via: 'login-changed' },
    } as const;
    // Nothing more is stored under an account being purged.
    if (current && !isDeleting(current)) await audit(revoked, now);
    else auditLog(revoked);
    throw new ConflictError('The account changed during login. Log in again.');
  }
  await signedIn(user, devices, { origin, way: 'password', secondFactor, keyId: key.id }, now);
  return c.json({ data: { key: key.key } });
});

export const handler = handle(app);
