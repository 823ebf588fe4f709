// Consuming a confirmation link, shared by the API (POST /api/users/confirm_email) and the page's
// form (POST /confirm-email): per-IP ceiling, the atomic confirm, and its audit event.
import type { Context } from 'hono';
import { auditItem, auditLog, requestOrigin } from './audit.ts';
import { confirmEmail, type User } from './data/users.ts';
import { digest, nowSeconds } from './domain/tokens.ts';
import { limitPerIp } from './http/throttle.ts';

export async function confirmWithToken(c: Context, token: string): Promise<User> {
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
