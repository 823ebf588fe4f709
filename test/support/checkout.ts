// Stripe Checkout as a browser goes through it on the local stand-in: the console's card form
// sends the browser to Stripe's page, the card number is typed there, Stripe sends it back.
import { expect } from 'vitest';
import { get, post } from './console.ts';

/** Posts the card form; answers the Stripe page's URL the console sent the browser to. */
export async function toCheckout(cookies: Record<string, string>, formToken: string): Promise<string> {
  const res = await post('/console/account/payment-method', { form_token: formToken }, cookies);
  expect(res.status, await res.clone().text()).toBe(303);
  return res.headers.get('location') ?? '';
}

/** Types `number` on Stripe's page; answers where Stripe sends the browser (or its refusal). */
export async function typeCard(checkoutUrl: string, number: string): Promise<Response> {
  return fetch(checkoutUrl, {
    method: 'POST',
    body: new URLSearchParams({ number, expiry: '12 / 34', cvc: '123' }),
    redirect: 'manual',
  });
}

/** The whole trip: to Stripe, the card typed, back to the console's page (its answer). */
export async function addCard(
  cookies: Record<string, string>,
  formToken: string,
  number = '4242424242424242',
): Promise<Response> {
  const back = await typeCard(await toCheckout(cookies, formToken), number);
  expect(back.status).toBe(303);
  const url = new URL(back.headers.get('location') ?? '');
  return get(`${url.pathname}${url.search}`, cookies);
}
