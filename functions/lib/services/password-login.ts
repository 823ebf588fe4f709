// A login with the address and password, wherever it is typed (GET /api/login, the console's login
// page): the password checked under the login throttle, then, once any second factor has passed,
// a new key. Every wrong credential is the same AuthenticationError; an unknown address still pays
// for a hash. The caller holds the answer to the enumeration floor and asks for the second factor.
import {
  enforceKeyLimit,
  type KeyTraits,
  listApiKeys,
  newKeyRecord,
  revokeApiKey,
  writeApiKey,
} from '#data/api-keys.ts';
import { knownDevices } from '#data/devices.ts';
import { countFailedLogin } from '#data/events.ts';
import { emailOwner, getUser, ownerAccount, replacePasswordHash } from '#data/profiles.ts';
import { type Account, isActive, isDeleting, isSuspended, isUnconfirmed } from '#domain/account.ts';
import { type NewApiKey, newApiKey } from '#domain/api-keys.ts';
import { AccountSuspendedError, AuthenticationError, ConflictError } from '#domain/errors.ts';
import { ACCOUNT_DELETING, CONFIRM_FIRST } from '#domain/messages.ts';
import {
  burnPasswordCheck,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  needsRehash,
  verifyPassword,
} from '#domain/passwords.ts';
import type { Origin, RequestTime } from '#domain/request.ts';
import { audit, auditItems, auditLog } from './audit.ts';
import { type LoginAttempt, loginThrottle } from './login-throttle.ts';
import { announceSignIn, signInDevice } from './new-device.ts';

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
 * The per-IP ceiling (`ceiling`, counted by the caller) and the login throttle, counted at once
 * (one round trip, with the address's owner read beside them). A ceiling's refusal takes the
 * attempt back for the address, as the throttle's own refusals do.
 */
async function countAttempt(
  ceiling: Promise<void>,
  email: string,
  origin: Origin,
  now: number,
  owner: Promise<string | undefined>,
): Promise<LoginAttempt> {
  const [limit, attempt] = await Promise.allSettled([
    ceiling,
    loginThrottle.attempt(email, origin.ip, now, () => owner),
  ]);
  if (limit.status === 'rejected') {
    if (attempt.status === 'fulfilled') await attempt.value.refused();
    throw limit.reason;
  }
  if (attempt.status === 'rejected') throw attempt.reason;
  return attempt.value;
}

/** The account whose password was right, and the attempt counted for it. */
export interface PasswordPassed {
  readonly user: Account;
  readonly attempt: LoginAttempt;
}

/**
 * The first factor: counts the attempt, checks the password. A wrong one (or an unknown address)
 * is logged and counted under the account, one item a day, and refused; a suspended account is
 * refused (403) before any second factor, so it spends no code and is mailed nothing.
 */
export async function passPassword(
  email: string,
  password: string,
  time: RequestTime,
  origin: Origin,
  ceiling: Promise<void>,
): Promise<PasswordPassed> {
  const owner = emailOwner(email);
  owner.catch(() => undefined);
  const attempt = await countAttempt(ceiling, email, origin, time.now, owner);
  const { user, valid } = await checkPassword(owner, password);
  if (!user || !valid) {
    // Nobody without the password can pile up items under an account (nor any under one being purged).
    auditLog({ name: 'login.failed', ...origin, userId: user?.userId });
    if (user && !isDeleting(user)) await countFailedLogin(user.userId, origin, time.now, time.at);
    throw new AuthenticationError();
  }
  if (isSuspended(user)) {
    await attempt.forgive();
    throw new AccountSuspendedError();
  }
  return { user, attempt };
}

/** How the login went, for its key and the new-device notice. */
export interface LoginFinish {
  /** The second factor passed, when MFA is on. */
  readonly secondFactor?: string;
  /** Given with a password just checked: a hash below today's cost is replaced. */
  readonly password?: string;
  /** Where the login was typed, when not at the API (its audit event says so). */
  readonly via?: 'console';
  /** The key's other traits (a console session's name and lifetime). */
  readonly traits?: Pick<KeyTraits, 'name' | 'expiresAt' | 'kind'>;
}

/**
 * The key of a login whose factors passed: only for an ACTIVE account (only someone who knows the
 * password learns that the address is unconfirmed, or going). The key with its audit events, the
 * throttle's success, the account's keys (for the limit) and its devices go out at once; then the
 * guard read, the key limit and the device's memory; the guard takes the key (and the device's
 * memory) back when the account changed meanwhile (409). Four round trips in all with the password's.
 */
export async function finishLogin(
  { user, attempt }: PasswordPassed,
  finish: LoginFinish,
  time: RequestTime,
  origin: Origin,
): Promise<NewApiKey> {
  const { now } = time;
  const { secondFactor, password } = finish;
  // The right password is no failure, but trusts no source: nobody has proven an unconfirmed address.
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
      detail: { secondFactor: secondFactor ?? 'none', ...(finish.via ? { via: finish.via } : {}) },
    },
    { name: 'api_key.minted', userId: user.userId, ...origin, detail: { keyId: key.id } },
  ] as const;
  const record = newKeyRecord(user.userId, key, time.at, {
    ...finish.traits,
    origin,
    secondFactor: secondFactor ? { at: now, after: 'password' } : undefined,
  });
  const [, , , listed, devices] = await Promise.all([
    attempt.succeed(user.userId),
    password !== undefined && needsRehash(user.passwordHash)
      ? hashPassword(password).then((hash) => replacePasswordHash(user.userId, user.passwordHash, hash))
      : undefined,
    writeApiKey(record, [auditItems(events, now)]),
    listApiKeys(user.userId),
    knownDevices(user.userId),
  ]);
  for (const e of events) auditLog(e);
  // The guard, read after the key was written: MFA switched on or off since the profile was read
  // (this login never passed it), a deletion requested, or the account suspended. Nobody has the
  // key yet, so taking it back now is as if it had never been; the oldest keys beyond the limit go
  // meanwhile, and the device is remembered (put back with the key, if the guard takes it).
  const device = signInDevice(user, devices, origin, now);
  const [current, , undoDevice] = await Promise.all([
    getUser(user.userId),
    enforceKeyLimit(user.userId, key.id, now, listed),
    device.remember(),
  ]);
  if (!current || current.mfaEnabled !== user.mfaEnabled || !isActive(current) || isSuspended(current)) {
    await Promise.all([revokeApiKey(user.userId, key.id), undoDevice()]);
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
  await announceSignIn(user, device, { origin, way: 'password', secondFactor, keyId: key.id }, now);
  return key;
}
