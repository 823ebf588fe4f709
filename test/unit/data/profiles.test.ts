// Profile items become accounts field by field: what the table holds is checked, not cast.
import { describe, expect, it } from 'vitest';
import { accountOf, profileItem } from '#data/profiles.ts';

const item = () =>
  profileItem({
    userId: 'u1',
    email: 'alice@example.com',
    passwordHash: 'phc',
    createdAt: '2026-11-28T00:00:00.000Z',
    confirmTokenHash: 'h',
  });

describe('accountOf', () => {
  it('reads back the profile it was written as, without the item keys', () => {
    const account = accountOf(item());
    expect(account).toMatchObject({
      userId: 'u1',
      email: 'alice@example.com',
      status: 'UNCONFIRMED',
      tier: 'FREE',
      creditCents: 0,
      mfaEnabled: false,
      pendingEmail: null,
      confirmTokenHash: 'h',
      version: 1,
    });
    expect(account).not.toHaveProperty('pk');
    expect(account).not.toHaveProperty('gsi1pk');
  });

  it('keeps sets as sets and a card only when whole', () => {
    const account = accountOf({
      ...item(),
      mfaRecoveryCodes: new Set(['a', 'b']),
      paymentMethod: { id: 'pm_1', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 },
    });
    expect(account.mfaRecoveryCodes).toEqual(new Set(['a', 'b']));
    expect(account.paymentMethod?.last4).toBe('4242');
    expect(accountOf({ ...item(), paymentMethod: { id: 'pm_1' } }).paymentMethod).toBeUndefined();
  });

  it.each(['status', 'tier', 'email', 'passwordHash', 'version'])(
    'refuses an item with no valid %s',
    (field) => {
      expect(() => accountOf({ ...item(), [field]: true })).toThrow(new RegExp(field));
    },
  );
});
