// GET and POST /console/upgrade: FREE → STANDARD with the card on file, as POST /api/upgrade.
import { describe, expect, it } from 'vitest';
import { createPromo, getPromo } from '#data/promos.ts';
import { addCard } from '../support/checkout.ts';
import { consoleSession, formTokenIn, get, post } from '../support/console.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer } from '../support/keys.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { suspended } from '../support/suspension.ts';
import { itemsAbout } from '../support/table.ts';

useFakeStripe();
const PAGE = '/console/upgrade';

async function signedIn(tag: string) {
  const email = newEmail(tag);
  const key = await activeAccount(email);
  const cookies = await consoleSession(email);
  const card = await get('/console/account/payment-method', cookies);
  const token = await formTokenIn(card);
  return { email, key, cookies, token };
}

const tierOf = async (key: string) =>
  (
    (await (await call('GET', '/api/users', bearer(key))).json()) as {
      data: { tier: string; credit_cents: number };
    }
  ).data;

describe('/console/upgrade', () => {
  it('says a card is needed first (400) and upgrades once one was added at Stripe, with a promo', async () => {
    const { key, cookies, token } = await signedIn('cup');
    const form = await get(PAGE, cookies);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('STANDARD is paid by card: add one first.');
    const early = await post(PAGE, { form_token: token }, cookies);
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('<strong>STANDARD is paid by card: add one first.</strong>');
    expect((await tierOf(key)).tier).toBe('FREE');

    expect((await addCard(cookies, token)).status).toBe(200);
    expect(await (await get(PAGE, cookies)).text()).toContain('Paid by: <strong>Visa ending in 4242');
    const code = `CUP${Date.now().toString(36).toUpperCase()}`;
    await createPromo({ code, creditCents: 500, remainingUses: 1, createdAt: new Date().toISOString() });
    const unknown = await post(PAGE, { form_token: token, promo_code: 'NOSUCHPROMO' }, cookies);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('id="promo_code-problem" role="alert">Invalid promo code.');
    const res = await post(PAGE, { form_token: token, promo_code: ` ${code.toLowerCase()} ` }, cookies);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<p role="status">Upgraded: your account is on STANDARD.</p>');
    expect(await tierOf(key)).toMatchObject({ tier: 'STANDARD', credit_cents: 500 });
    expect((await getPromo(code))?.remainingUses).toBe(0);
    // Done already: the page says so, and another post changes nothing.
    expect(await (await get(PAGE, cookies)).text()).toContain('Your account is on STANDARD.');
    expect((await post(PAGE, { form_token: token }, cookies)).status).toBe(200);
    expect((await tierOf(key)).credit_cents).toBe(500);
  });

  it('answers 409 when the account changed during the upgrade, and stays FREE', async () => {
    const { email, cookies, token } = await signedIn('cup-race');
    expect((await addCard(cookies, token)).status).toBe(200);
    const userId = await userIdOf(email);
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => touchProfile(userId, { status: 'DELETING' }),
      (input) => JSON.stringify(input.TransactItems).includes('STANDARD'),
    );
    const res = await post(PAGE, { form_token: token }, cookies);
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('The account changed meanwhile. Try again.');
    expect((await itemsAbout(email)).find((i) => i.type === 'user')).toMatchObject({
      tier: 'FREE',
      status: 'DELETING',
    });
  });

  it('refuses another site, a form without its token, no session and a suspended account', async () => {
    const { email, cookies, token } = await signedIn('cup-refused');
    expect(
      (await post(PAGE, { form_token: token }, cookies, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect((await post(PAGE, {}, cookies)).status).toBe(400);
    expect((await get(PAGE)).status).toBe(303);
    expect((await post(PAGE, { form_token: token })).status).toBe(303);
    await suspended(email);
    expect((await get(PAGE, cookies)).status).toBe(403);
  });
});
