// Consuming a confirmation link, shared by the API (POST /api/users/confirm_email) and the page's
// form (POST /confirm-email): per-IP ceiling, the atomic confirm, and its audit event.
import type { Context } from 'hono';
import { auditItem, auditLog, requestOrigin } from './audit.ts';
import { confirmEmail, type User } from './data/users.ts';
import { InvalidTokenError } from './domain/errors.ts';
import { digest, looksLikeToken, nowSeconds } from './domain/tokens.ts';
import { limitPerIp } from './http/throttle.ts';
import { INVALID_LINK } from './messages.ts';

export async function confirmWithToken(c: Context, token: string): Promise<User> {
  // A value that cannot be a token is refused before anything is counted or read.
  if (!looksLikeToken(token)) throw new InvalidTokenError('token', INVALID_LINK);
  await limitPerIp(c, 'confirm');
  const now = nowSeconds();
  const origin = requestOrigin(c);
  const event = (userId: string) => ({ name: 'email.confirmed', userId, ...origin }) as const;
  const user = await confirmEmail(digest(token), now, new Date(now * 1000).toISOString(), (userId) => [
    auditItem(event(userId), now),
  ]);
  auditLog(event(user.userId));
  return user;
}
