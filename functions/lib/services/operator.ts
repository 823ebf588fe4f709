// What an operator does to one account (cli/account.ts: npm run account): look at it, suspend and
// lift, set the tier, add credit, revoke every key. Each change is one conditional transaction with
// its audit item (detail `via: operator` and who) and the platform's event; a suspension and its
// lifting are mailed to the owner.
import { listApiKeys, revokeOtherApiKeys } from '#data/api-keys.ts';
import { changeCredit, setTier } from '#data/billing.ts';
import { listEvents } from '#data/events.ts';
import { outboxPut } from '#data/outbox.ts';
import { getUser, getUserByEmail } from '#data/profiles.ts';
import { listSshKeys } from '#data/ssh-keys.ts';
import { liftSuspension, suspendAccount } from '#data/suspension.ts';
import { type Account, isActive, isSuspended } from '#domain/account.ts';
import { hasExpired } from '#domain/api-keys.ts';
import { normalizeEmail } from '#domain/email.ts';
import type { Tier } from '#domain/tiers.ts';
import { deliver } from '#email/deliver.ts';
import { type AuditEventName, auditItem, auditLog, type UserAuditEvent } from './audit.ts';

/** Longer reasons belong in the support ticket; the reason travels on the platform's event. */
export const MAX_REASON_LENGTH = 500;
/** The last logins `npm run account -- show` lists. */
export const SHOWN_LOGINS = 5;

/** The account an operator names, by address or by id. */
export async function findAccount(ref: string): Promise<Account | undefined> {
  if (!ref.includes('@')) return getUser(ref);
  try {
    return await getUserByEmail(normalizeEmail(ref));
  } catch {
    return undefined;
  }
}

/** Everything `show` prints: the account and what hangs off it, nothing secret. */
export async function accountReport(user: Account, now: number) {
  const [apiKeys, sshKeys, events] = await Promise.all([
    listApiKeys(user.userId),
    listSshKeys(user.userId),
    listEvents(user.userId),
  ]);
  return {
    userId: user.userId,
    email: user.email,
    status: user.status,
    suspended: user.suspendedAt ? { at: user.suspendedAt, reason: user.suspensionReason ?? '' } : undefined,
    tier: user.tier,
    creditCents: user.creditCents,
    mfaEnabled: user.mfaEnabled,
    createdAt: user.createdAt,
    apiKeys: apiKeys.map((k) => ({
      id: k.keyId,
      name: k.name,
      scope: k.scope,
      createdAt: k.createdAt,
      expired: hasExpired(k.expiresAt, now),
      lastUsedAt: k.lastUsedAt,
      lastIp: k.lastIp,
    })),
    sshKeys: sshKeys.map((k) => ({ id: k.keyId, fingerprint: k.fingerprint, createdAt: k.createdAt })),
    lastLogins: events
      .filter((e) => e.event === 'login.succeeded')
      .slice(-SHOWN_LOGINS)
      .reverse()
      .map((e) => ({ at: e.at, ip: e.ip, userAgent: e.userAgent, via: String(e.detail?.via ?? 'password') })),
  };
}

const operatorEvent = (
  name: AuditEventName,
  user: Account,
  operator: string,
  detail: UserAuditEvent['detail'] = {},
): UserAuditEvent => ({ name, userId: user.userId, detail: { via: 'operator', operator, ...detail } });

export type SuspendResult = 'suspended' | 'already' | 'not-active';

/** Suspends the account and mails its owner the notice (the only mail it gets while suspended). */
export async function suspend(
  user: Account,
  reason: string,
  operator: string,
  now: number,
): Promise<{ result: SuspendResult; mailed?: boolean }> {
  if (isSuspended(user)) return { result: 'already' };
  if (!isActive(user)) return { result: 'not-active' };
  const event = operatorEvent('account.suspended', user, operator);
  if (!(await suspendAccount(user.userId, reason, now, [auditItem(event, now)]))) {
    const current = await getUser(user.userId);
    return { result: isSuspended(current) ? 'already' : 'not-active' };
  }
  auditLog(event);
  return {
    result: 'suspended',
    mailed: await deliver('notice', user.email, ['accountSuspendedNotice', new Date(now * 1000)]),
  };
}

/** Lifts the suspension and tells the owner; false when the account was not suspended. */
export async function unsuspend(
  user: Account,
  operator: string,
  now: number,
): Promise<{ lifted: boolean; mailed?: boolean }> {
  const event = operatorEvent('account.unsuspended', user, operator);
  if (!(await liftSuspension(user.userId, now, [auditItem(event, now)]))) return { lifted: false };
  auditLog(event);
  // An account being deleted hears only the goodbye.
  const mailed = isActive(user)
    ? await deliver('notice', user.email, ['accountUnsuspendedNotice', new Date(now * 1000)])
    : undefined;
  return { lifted: true, mailed };
}

export type TierResult = 'set' | 'already' | 'not-active' | 'changed';

/** Sets the tier either way, no card needed (a support decision, not a sale). */
export async function assignTier(
  user: Account,
  tier: Tier,
  operator: string,
  now: number,
): Promise<TierResult> {
  if (!isActive(user)) return 'not-active';
  if (user.tier === tier) return 'already';
  const event = operatorEvent('account.tier_set', user, operator, { tier, previousTier: user.tier });
  if (!(await setTier(user.userId, user.tier, tier, now, [auditItem(event, now)]))) return 'changed';
  auditLog(event);
  return 'set';
}

export type CreditResult =
  | { readonly result: 'credited'; readonly balance: number }
  | { readonly result: 'below-zero' | 'not-active' | 'changed' };

/** Adds `cents` of credit (negative takes some back, never below zero). */
export async function credit(
  user: Account,
  cents: number,
  operator: string,
  now: number,
): Promise<CreditResult> {
  if (!isActive(user)) return { result: 'not-active' };
  const balance = user.creditCents + cents;
  if (balance < 0) return { result: 'below-zero' };
  const event = operatorEvent('account.credited', user, operator, { cents, creditCents: balance });
  if (!(await changeCredit(user.userId, user.creditCents, cents, now, [auditItem(event, now)])))
    return { result: 'changed' };
  auditLog(event);
  return { result: 'credited', balance };
}

/**
 * Revokes every key of the account (its owner logs in again); the audit item and the platform's
 * account.keys_revoked ride in the revocation's transaction. How many went.
 */
export async function revokeAllKeys(user: Account, operator: string, now: number): Promise<number> {
  const listed = await listApiKeys(user.userId);
  if (listed.length === 0) return 0;
  let event: UserAuditEvent | undefined;
  const revoked = await revokeOtherApiKeys(user.userId, undefined, listed, (count) => {
    event = operatorEvent('api_key.revoked', user, operator, { count });
    return [auditItem(event, now), outboxPut(user.userId, 'account.keys_revoked', { count }, now)];
  });
  if (event) auditLog(event);
  return revoked;
}
