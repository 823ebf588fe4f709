import { describe, expect, it } from 'vitest';
import { call } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { mailsTo } from '../support/mail.ts';
import { itemsAbout } from '../support/table.ts';

describe('ten concurrent signups with one address in different letter case', () => {
  it('create exactly one account, and every caller gets the same answer', async () => {
    const email = newEmail('race');
    const spellings = Array.from({ length: 10 }, (_, i) =>
      [...email].map((ch, j) => ((i >> (j % 4)) & 1 ? ch.toUpperCase() : ch)).join(''),
    );
    expect(new Set(spellings).size).toBeGreaterThan(5);
    const responses = await Promise.all(
      spellings.map((spelling) =>
        call('POST', '/api/free_users', json({ email: spelling, password: PASSWORD })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const bodies = new Set(await Promise.all(responses.map((r) => r.text())));
    expect(bodies.size).toBe(1);

    const items = await itemsAbout(email);
    expect(items.filter((i) => i.type === 'user')).toHaveLength(1);
    expect(items.filter((i) => i.type === 'email')).toHaveLength(1);
    expect(items.filter((i) => i.type === 'token')).toHaveLength(1);
    const confirmations = (await mailsTo(email)).filter(
      (m) => m.subject === 'Confirm your Gatehouse account',
    );
    expect(confirmations).toHaveLength(1);
  });
});
