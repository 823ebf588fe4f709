// An account suspended as `npm run account -- suspend` does it (services/operator.ts), in-process.
import { expect } from 'vitest';
import { nowSeconds } from '#domain/tokens.ts';
import { findAccount, suspend } from '#services/operator.ts';

export async function suspended(email: string, reason = 'a test'): Promise<void> {
  const user = await findAccount(email);
  expect(user, email).toBeDefined();
  if (user) expect((await suspend(user, reason, 'test', nowSeconds())).result).toBe('suspended');
}
