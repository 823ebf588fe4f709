import { describe, expect, it } from 'vitest';
import { confirmChange, requestChange } from '../support/email-change.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { form, json, newEmail, PASSWORD } from '../support/http.ts';
import { bearer } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { aMinutePasses, itemsAbout } from '../support/table.ts';

interface EntryPoint {
  readonly name: string;
  readonly spend: (token: string) => Promise<Response>;
  /** What the answer says when the account moved, and when nothing was changed. */
  readonly moved: (res: Response) => Promise<void>;
  readonly unchanged: (res: Response) => Promise<void>;
}

const TAKEN = 'That address belongs to another account now. Nothing was changed.';

/** The two ways to spend the link mailed to the new address: the API, and the button of its page. */
const ENTRY_POINTS: EntryPoint[] = [
  {
    name: 'POST /api/users/email/confirm',
    spend: confirmChange,
    moved: async (res) =>
      expect(await res.json()).toEqual({
        data: { message: 'Your address is changed. Use it to log in from now on.' },
      }),
    unchanged: async (res) => expect(await res.json()).toEqual({ errors: { '': [TAKEN] } }),
  },
  {
    name: 'POST /confirm-email-change (the button of the page)',
    spend: (token) => call('POST', '/confirm-email-change', form({ token })),
    moved: async (res) => expect(await res.text()).toContain('Address changed'),
    unchanged: async (res) => {
      const html = await res.text();
      expect(html).toContain('<h1>Nothing was changed</h1>');
      expect(html).toContain(TAKEN);
    },
  },
];

describe.each(ENTRY_POINTS)('$name', ({ spend, moved, unchanged }) => {
  it('moves the account atomically; the old address is free; the old owner gets an undo link', async () => {
    const old = newEmail('from');
    const next = newEmail('to');
    const key = await activeAccount(old);
    const { confirm } = await requestChange(key, old, next);
    const res = await spend(confirm);
    expect(res.status).toBe(200);
    await moved(res);
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: next, pending_email: null },
    });
    expect((await login(next)).status).toBe(200);
    expect((await login(old)).status).toBe(401);
    expect((await itemsAbout(old)).filter((i) => i.pk === `EMAIL#${old}`)).toEqual([]);
    expect((await mailsTo(old)).at(-1)?.subject).toBe('Your Gatehouse address was changed');
    expect((await spend(confirm)).status).toBe(400);
    expect((await call('POST', '/api/free_users', json({ email: old, password: PASSWORD }))).status).toBe(
      200,
    );
  });

  it('changes nothing when the new address was taken before the link was used', async () => {
    const old = newEmail('loser');
    const next = newEmail('contested');
    const key = await activeAccount(old);
    const { confirm } = await requestChange(key, old, next);
    const rival = await activeAccount(next);
    const res = await spend(confirm);
    expect(res.status).toBe(409);
    await unchanged(res);
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { email: old, pending_email: next },
    });
    expect(await (await call('GET', '/api/users', bearer(rival))).json()).toMatchObject({
      data: { email: next },
    });
    const claims = (await itemsAbout(next)).filter((i) => i.pk === `EMAIL#${next}`);
    expect(claims).toHaveLength(1);
    expect((await itemsAbout(old)).filter((i) => i.pk === `EMAIL#${old}`)).toHaveLength(1);
    expect((await login(old)).status).toBe(200);
    expect((await mailsTo(old)).map((m) => m.subject)).not.toContain('Your Gatehouse address was changed');
    // The link was not spent: it answers the same as long as the address stays taken.
    expect((await confirmChange(confirm)).status).toBe(409);
  });
});

describe('POST /api/users/email/confirm', () => {
  it('lets exactly one of two accounts confirming the same address at once win', async () => {
    const next = newEmail('prize');
    const [a, b] = [newEmail('a'), newEmail('b')];
    const [ka, kb] = [await activeAccount(a), await activeAccount(b)];
    const ta = await requestChange(ka, a, next);
    await aMinutePasses('email-change', next);
    const tb = await requestChange(kb, b, next);
    const statuses = (await Promise.all([confirmChange(ta.confirm), confirmChange(tb.confirm)])).map(
      (r) => r.status,
    );
    expect(statuses.sort()).toEqual([200, 409]);
    const claims = (await itemsAbout(next)).filter((i) => i.pk === `EMAIL#${next}`);
    expect(claims).toHaveLength(1);
    const owners = await Promise.all(
      [ka, kb].map(
        async (k) =>
          ((await (await call('GET', '/api/users', bearer(k))).json()) as { data: { email: string } }).data
            .email,
      ),
    );
    expect(owners.filter((e) => e === next)).toHaveLength(1);
  });
});
