// Which keys go when an account is over its 50: expired ones first, then a login's keys, each
// oldest first; a key made on purpose for a machine goes last.
import { describe, expect, it } from 'vitest';
import { type ApiKeyListing, liveKeys, revocationOrder } from '#data/api-keys.ts';

const key = (keyId: string, createdAt: string, more: Partial<ApiKeyListing> = {}): ApiKeyListing => ({
  keyId,
  keyHash: keyId,
  createdAt,
  scope: 'full',
  lookup: false,
  ...more,
});

describe('revocationOrder', () => {
  it('puts expired keys first, then login keys, then named keys, each kind oldest first', () => {
    const now = 1_000;
    const listed = [
      key('named-old', '2026-01-01T00:00:00.000Z', { name: 'ci' }),
      key('login-new', '2026-03-01T00:00:00.000Z'),
      key('expired-named', '2026-02-01T00:00:00.000Z', { name: 'old ci', expiresAt: 999 }),
      key('login-old', '2026-02-01T00:00:00.000Z'),
      key('named-not-yet', '2026-01-15T00:00:00.000Z', { name: 'deploy', expiresAt: 1_001 }),
      key('expired-login', '2026-01-02T00:00:00.000Z', { expiresAt: 1_000 }),
    ];
    expect(revocationOrder(listed, now).map((k) => k.keyId)).toEqual([
      'expired-login',
      'expired-named',
      'login-old',
      'login-new',
      'named-old',
      'named-not-yet',
    ]);
    expect(liveKeys(listed, now).map((k) => k.keyId)).toEqual([
      'named-old',
      'login-new',
      'login-old',
      'named-not-yet',
    ]);
  });
});
