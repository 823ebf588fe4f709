// Consuming a confirmation link, shared by the API (POST /api/users/confirm_email) and the page's
// form (POST /confirm-email): per-IP ceiling, the atomic confirm, its audit event, and the
// account.created event for the platform.
import { confirmEmail } from '#data/links.ts';
import { outboxPut } from '#data/outbox.ts';
import type { Account } from '#domain/account.ts';
import { InvalidTokenError } from '#domain/errors.ts';
import { INVALID_LINK } from '#domain/messages.ts';
import type { Origin } from '#domain/request.ts';
import { digest, looksLikeToken } from '#domain/tokens.ts';
import { auditItem, auditLog } from './audit.ts';
import { checkIpCeiling } from './ip-ceilings.ts';

export async function confirmWithToken(token: string, now: number, origin: Origin): Promise<Account> {
  // A value that cannot be a token is refused before anything is counted or read.
  if (!looksLikeToken(token)) throw new InvalidTokenError('token', INVALID_LINK);
  await checkIpCeiling(origin.ip, 'confirm', now);
  const event = (userId: string) => ({ name: 'email.confirmed', userId, ...origin }) as const;
  const user = await confirmEmail(digest(token), now, new Date(now * 1000).toISOString(), (before) => [
    auditItem(event(before.userId), now),
    outboxPut(before.userId, 'account.created', { email: before.email, tier: before.tier, via: 'link' }, now),
  ]);
  auditLog(event(user.userId));
  return user;
}
