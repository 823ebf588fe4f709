// GET and POST /console/account/payment-method: the card typed at Stripe Checkout (its local
// stand-in), never here; back from it, the saved card becomes the account's default.
import { describe, expect, it } from 'vitest';
import { forgetCustomer } from '#data/billing.ts';
import { toCheckout, typeCard } from '../support/checkout.ts';
import { consoleSession, formTokenIn, get, post } from '../support/console.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { withKey } from '../support/keys.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { suspended } from '../support/suspension.ts';
import { itemsAbout } from '../support/table.ts';

const stripe = useFakeStripe();
const PAGE = '/console/account/payment-method';
const year = new Date().getUTCFullYear();

async function signedIn(tag: string) {
  const email = newEmail(tag);
  const key = await activeAccount(email);
  const cookies = await consoleSession(email);
  const page = await get(PAGE, cookies);
  expect(page.status).toBe(200);
  return {
    email,
    key,
    cookies,
    token: await formTokenIn(page.clone()),
    page: await page.text(),
    headers: page.headers,
  };
}

const profileOf = async (email: string) => (await itemsAbout(email)).find((i) => i.type === 'user');

describe('/console/account/payment-method', () => {
  it('sends the browser to Stripe for the card, and makes the card saved there the default', async () => {
    const { email, cookies, token, page, headers } = await signedIn('ccard');
    expect(page).toContain('No card on file.');
    // The form's answer is a redirect to Stripe's page, which the page's form-action allows.
    expect(headers.get('content-security-policy')).toContain(`form-action 'self' ${stripe().url};`);
    const checkout = await toCheckout(cookies, token);
    expect(checkout).toMatch(new RegExp(`^${stripe().url}/checkout/cs_test_`));
    const back = await typeCard(checkout, '4242 4242 4242 4242');
    const returned = new URL(back.headers.get('location') ?? '');
    expect(returned.pathname).toBe(PAGE);
    expect(returned.searchParams.get('session_id')).toMatch(/^cs_test_/);
    const res = await get(`${returned.pathname}${returned.search}`, cookies);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('<p role="status">Your card is saved.</p>');
    expect(text).toContain(`On file: <strong>Visa ending in 4242, expires 12/${year + 4}</strong>.`);
    expect(text).toContain('href="/console/upgrade"');
    const profile = await profileOf(email);
    const pm = (profile?.paymentMethod as { id: string } | undefined)?.id;
    expect(pm).toMatch(/^pm_/);
    expect(
      stripe().customers.get(String(profile?.stripeCustomerId))?.invoice_settings.default_payment_method,
    ).toBe(pm);
    // Coming back again (a reload) sets the same card again; the account page shows it.
    expect((await get(`${returned.pathname}${returned.search}`, cookies)).status).toBe(200);
    expect(await (await get('/console', cookies)).text()).toContain('Visa ending in 4242');
  });

  it('keeps the card when Stripe declines the new one or the person cancels there', async () => {
    const { email, key, cookies, token } = await signedIn('ccard-declined');
    expect(
      (await call('PUT', '/api/payment_methods', withKey(key, { stripe_token: 'tok_mastercard' }))).status,
    ).toBe(200);
    const checkout = await toCheckout(cookies, token);
    const declined = await typeCard(checkout, '4000000000000002');
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    const cancelled = await get(`${PAGE}?canceled`, cookies);
    expect(cancelled.status).toBe(200);
    const text = await cancelled.text();
    expect(text).toContain('<p role="status">No card was added.</p>');
    expect(text).toContain('Mastercard ending in 4444');
    expect((await profileOf(email))?.paymentMethod).toMatchObject({ last4: '4444' });
  });

  it('refuses a session of another account, an unfinished one and a made-up one (400), changing nothing', async () => {
    const mallory = await signedIn('ccard-mallory');
    const theirs = new URL(
      (await typeCard(await toCheckout(mallory.cookies, mallory.token), '4242424242424242')).headers.get(
        'location',
      ) ?? '',
    );
    const victim = await signedIn('ccard-victim');
    const unfinished = (await toCheckout(victim.cookies, victim.token)).split('/').at(-1);
    for (const query of [
      theirs.search,
      `?session_id=${unfinished}`,
      '?session_id=cs_test_nosuchsession',
      '?session_id=../../v1',
    ]) {
      const res = await get(`${PAGE}${query}`, victim.cookies);
      expect(res.status, query).toBe(400);
      expect(await res.text()).toMatch(/role="alert" class="problem"><strong>[^<]+<\/strong>/);
    }
    expect((await profileOf(victim.email))?.paymentMethod).toBeUndefined();
  });

  it('answers 503 when Stripe does not answer, either way, and records nothing', async () => {
    const { email, cookies, token } = await signedIn('ccard-outage');
    stripe().failNext(503, 10);
    const res = await post(PAGE, { form_token: token }, cookies);
    stripe().failNext(503, 0);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('60');
    const checkout = await toCheckout(cookies, token);
    const back = new URL((await typeCard(checkout, '4242424242424242')).headers.get('location') ?? '');
    stripe().failNext(503, 10);
    const returned = await get(`${back.pathname}${back.search}`, cookies);
    stripe().failNext(503, 0);
    expect(returned.status).toBe(503);
    expect((await profileOf(email))?.paymentMethod).toBeUndefined();
  });

  it('answers 409 when the Stripe customer was forgotten meanwhile, and records no card', async () => {
    const { email, cookies, token } = await signedIn('ccard-race');
    const back = new URL(
      (await typeCard(await toCheckout(cookies, token), '4242424242424242')).headers.get('location') ?? '',
    );
    const userId = await userIdOf(email);
    const customer = String((await profileOf(email))?.stripeCustomerId);
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => forgetCustomer(userId, customer),
      (input) => JSON.stringify(input.TransactItems).includes('paymentMethod = :pm'),
    );
    const res = await get(`${back.pathname}${back.search}`, cookies);
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect((await profileOf(email))?.paymentMethod).toBeUndefined();
  });

  it('answers 409 when the account’s deletion began while its Stripe customer was made, and sends nobody to Stripe', async () => {
    const { email, cookies, token } = await signedIn('ccard-deleting');
    const userId = await userIdOf(email);
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => touchProfile(userId, { status: 'DELETING' }),
      (input) => JSON.stringify(input.TransactItems).includes('stripeCustomerId'),
    );
    const res = await post(PAGE, { form_token: token }, cookies);
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('The account changed meanwhile. Try again.');
    expect((await profileOf(email))?.stripeCustomerId).toBeUndefined();
  });

  it('refuses another site, a form without its token, no session and a suspended account', async () => {
    const { email, cookies, token } = await signedIn('ccard-refused');
    expect(
      (await post(PAGE, { form_token: token }, cookies, { 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(403);
    expect((await post(PAGE, {}, cookies)).status).toBe(400);
    expect((await get(PAGE)).status).toBe(303);
    expect((await post(PAGE, { form_token: token })).status).toBe(303);
    await suspended(email);
    expect((await get(PAGE, cookies)).status).toBe(403);
    expect((await profileOf(email))?.stripeCustomerId).toBeUndefined();
  });
});
