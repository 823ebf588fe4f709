// GET /api/login with Basic `email:password`: mints a new API key. Every wrong credential gets
// the same 401; an unknown address still pays for a hash, so timing does not tell either.
import { handle } from 'hono/aws-lambda';
import { storeApiKey } from '#lib/data/api-keys.ts';
import { getUserByEmail, replacePasswordHash, type User } from '#lib/data/users.ts';
import { newApiKey } from '#lib/domain/api-keys.ts';
import { AuthenticationError } from '#lib/domain/errors.ts';
import {
  burnPasswordCheck,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  needsRehash,
  verifyPassword,
} from '#lib/domain/passwords.ts';
import { nowSeconds } from '#lib/domain/tokens.ts';
import { createApp } from '#lib/http/app.ts';
import { passwordCredentials } from '#lib/http/auth.ts';
import { limitPerIp, loginThrottle } from '#lib/http/throttle.ts';
import { CONFIRM_FIRST } from '#lib/messages.ts';

/** The user whose password this is, or undefined; always costs one argon2id verification. */
async function checkPassword(email: string, password: string): Promise<User | undefined> {
  // No account has a longer password; refuse before spending a hash on it.
  if ([...password].length > MAX_PASSWORD_LENGTH) return undefined;
  const user = await getUserByEmail(email);
  if (!user) {
    await burnPasswordCheck(password);
    return undefined;
  }
  return (await verifyPassword(password, user.passwordHash)) ? user : undefined;
}

export const app = createApp().get('/api/login', async (c) => {
  const { email, password } = passwordCredentials(c);
  await limitPerIp(c, 'login');
  const now = nowSeconds();
  await loginThrottle.check(email, now);
  const user = await checkPassword(email, password);
  if (!user) {
    await loginThrottle.fail(email, now);
    throw new AuthenticationError();
  }
  await loginThrottle.succeed(email, now);
  // Only someone who knows the password learns that the address is unconfirmed.
  if (user.status !== 'ACTIVE') throw new AuthenticationError(CONFIRM_FIRST);
  if (needsRehash(user.passwordHash)) {
    await replacePasswordHash(user.userId, user.passwordHash, await hashPassword(password));
  }
  const key = newApiKey();
  await storeApiKey({
    userId: user.userId,
    id: key.id,
    hash: key.hash,
    createdAt: new Date(now * 1000).toISOString(),
    userAgent: c.req.header('user-agent'),
  });
  return c.json({ data: { key: key.key } });
});

export const handler = handle(app);
