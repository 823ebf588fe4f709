// Card details never reach Gatehouse: they are checked here, then turned into a Stripe token with
// the publishable key (from the API's public configuration), and only the token's id is sent on.
import { CliError } from './errors.ts';

export interface Card {
  readonly number: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly cvc: string;
}

const luhn = (digits: string): boolean => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
};

/** Checks what can be checked without Stripe; the messages say which part is wrong. */
export function checkCard(input: { number: string; expiry: string; cvc: string }, now = new Date()): Card {
  const number = input.number.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(number)) throw new CliError('Card number: 13 to 19 digits.');
  if (!luhn(number)) throw new CliError('Card number: not a valid card number (check the digits).');
  const expiry = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(input.expiry.trim());
  const month = Number(expiry?.[1]);
  if (!expiry || month < 1 || month > 12) throw new CliError('Expiry: MM/YY, e.g. 04/29.');
  const year = Number(expiry[2]) + (expiry[2]?.length === 2 ? 2000 : 0);
  // A card is good through the last day of its expiry month.
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1))
    throw new CliError('Expiry: this card has expired.');
  if (!/^\d{3,4}$/.test(input.cvc.trim())) throw new CliError('CVC: 3 or 4 digits.');
  return { number, expMonth: month, expYear: year, cvc: input.cvc.trim() };
}

/** Stripe's API, or a stand-in for it (GATEHOUSE_STRIPE_API_URL; the local stack prints its URL). */
export const stripeApiUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  env.GATEHOUSE_STRIPE_API_URL?.trim() || 'https://api.stripe.com';

/** A single-use card token (`tok_…`) made with the publishable key. */
export async function cardToken(
  card: Card,
  publishableKey: string,
  apiUrl = stripeApiUrl(),
): Promise<string> {
  const form = new URLSearchParams({
    'card[number]': card.number,
    'card[exp_month]': String(card.expMonth),
    'card[exp_year]': String(card.expYear),
    'card[cvc]': card.cvc,
  });
  let res: Response;
  try {
    res = await fetch(new URL('/v1/tokens', apiUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${publishableKey}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form,
    });
  } catch (err) {
    throw new CliError(`Could not reach Stripe at ${apiUrl}: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
  if (!res.ok || !body.id)
    throw new CliError(`Card refused: ${body.error?.message ?? `Stripe answered ${res.status}`}`);
  return body.id;
}
