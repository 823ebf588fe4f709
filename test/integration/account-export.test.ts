// POST /api/users/export: everything stored about the account, nothing secret.
import { describe, expect, it } from 'vitest';
import { recordCustomer, recordPaymentMethod } from '#data/billing.ts';
import { transactWrite } from '#data/client.ts';
import { GOOGLE, identityPuts } from '#data/identities.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { userIdOf } from '../support/deletion.ts';
import { call, sourceIp } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { bearer, createdKey, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { mfaAccount, mfaKey } from '../support/mfa.ts';
import { newSshKey } from '../support/ssh.ts';
import { allItems } from '../support/table.ts';

const exportOf = (key: string, body: Record<string, unknown> = { current_password: PASSWORD }) =>
  call('POST', '/api/users/export', withKey(key, body));

/** Every stored value that must never leave: hashes, sealed secrets, digests. */
function secretsOf(items: Record<string, unknown>[]): string[] {
  const secret = /hash|secret|recoverycodes|tokenhash/i;
  return items.flatMap((item) =>
    Object.entries(item)
      .filter(([name]) => secret.test(name))
      .flatMap(([, value]) => (value instanceof Set ? [...value] : [value]))
      .map(String)
      .filter((v) => v.length >= 16),
  );
}

describe('POST /api/users/export', () => {
  it('answers the profile, billing, identity, keys, SSH keys and activity, and no secret', async () => {
    const email = newEmail('export');
    const account = await mfaAccount(email);
    const key = await mfaKey(account, 0);
    const userId = await userIdOf(email);
    const made = await createdKey(key, { scope: 'read', name: 'backup' });
    const line = newSshKey('me@export');
    expect((await call('POST', '/api/ssh_keys', withKey(key, { ssh_key: line }))).status).toBe(201);
    expect(await recordCustomer(userId, `cus_${userId.slice(0, 8)}`)).toBe(true);
    expect(
      await recordPaymentMethod(
        userId,
        `cus_${userId.slice(0, 8)}`,
        { id: 'pm_x', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 },
        nowSeconds(),
      ),
    ).toBe(true);
    await transactWrite(
      identityPuts(
        userId,
        GOOGLE,
        { sub: `google-${userId}`, email: 'me@gmail.example' },
        '2026-11-01T00:00:00.000Z',
      ),
    );

    const res = await exportOf(key);
    expect(res.status, await res.clone().text()).toBe(200);
    const { data } = (await res.json()) as { data: Record<string, unknown> };
    expect(data).toMatchObject({
      format: 'gatehouse-account-export/1',
      exported_at: expect.any(String),
      account: {
        id: userId,
        email,
        status: 'ACTIVE',
        tier: 'FREE',
        credit_cents: 0,
        pending_email: null,
        mfa: { enabled: true, recovery_codes_left: 9, enabled_at: expect.any(String) },
      },
      billing: {
        stripe_customer_id: `cus_${userId.slice(0, 8)}`,
        payment_method: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 },
        failed_invoices: [],
      },
      identities: [
        {
          provider: 'google',
          subject: `google-${userId}`,
          email: 'me@gmail.example',
          linked_at: '2026-11-01T00:00:00.000Z',
        },
      ],
      ssh_keys: [{ key: line, comment: 'me@export' }],
    });
    const apiKeys = data.api_keys as { id: string; name: string | null; current: boolean }[];
    expect(apiKeys.map((k) => [k.name, k.current])).toEqual([
      [null, true],
      ['backup', false],
    ]);
    expect(apiKeys[1]?.id).toBe(made.id);
    const activity = (data.activity as { event: string; ip: string | null }[]).map((e) => e.event);
    expect(activity).toEqual(
      expect.arrayContaining(['signup', 'mfa.enabled', 'api_key.created', 'ssh_key.added']),
    );
    expect(activity.indexOf('signup')).toBeLessThan(activity.indexOf('api_key.created'));

    // Nothing secret: no stored hash, sealed secret or digest of this account, nor a key or code.
    const text = JSON.stringify(data);
    const mine = (await allItems()).filter((i) => i.userId === userId || String(i.pk).includes(userId));
    const secrets = secretsOf(mine);
    expect(secrets.length).toBeGreaterThan(3);
    for (const value of [...secrets, PASSWORD, key, made.key, ...account.recoveryCodes])
      expect(text).not.toContain(value);
    expect(text).not.toMatch(/passwordHash|mfaSecret|keyHash|TokenHash/);

    const notice = (await mailsTo(email)).at(-1);
    expect(notice?.subject).toBe('Your Gatehouse account data was exported');
    const events = (await allItems()).filter((i) => i.userId === userId && i.event === 'account.exported');
    expect(events).toMatchObject([{ ip: sourceIp }]);
  });

  it('wants the current password, counts wrong ones, and answers nothing without it', async () => {
    const email = newEmail('export-wrong');
    const account = await mfaAccount(email);
    const key = await mfaKey(account, 0);
    const missing = await exportOf(key, {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ errors: { current_password: ["can't be blank"] } });
    for (let i = 0; i < 5; i++) {
      const wrong = await exportOf(key, { current_password: `not it ${i}!!!!!!!` });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual({ errors: { current_password: ['is incorrect'] } });
    }
    const throttled = await exportOf(key);
    expect(throttled.status).toBe(429);
    expect((await mailsTo(email)).map((m) => m.subject)).not.toContain(
      'Your Gatehouse account data was exported',
    );
    // A read-only key cannot take it either (any POST: the shared statuses test).
    const reader = await createdKey(await mfaKey(account, 1), {
      scope: 'read',
      mfa_token: account.recoveryCodes[2],
    });
    expect(
      (await call('POST', '/api/users/export', withKey(reader.key, { current_password: PASSWORD }))).status,
    ).toBe(403);
    expect((await call('GET', '/api/users', bearer(reader.key))).status).toBe(200);
  });
});
