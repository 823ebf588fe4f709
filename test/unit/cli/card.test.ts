import { describe, expect, it } from 'vitest';
import { checkCard } from '../../../cli/gatehouse/card.ts';

const now = new Date('2026-11-28T00:00:00Z');
const ok = { number: '4242 4242 4242 4242', expiry: '12/29', cvc: '123' };

describe('card details, checked before Stripe sees them', () => {
  it('takes a valid card, spaces and dashes ignored, two- or four-digit years', () => {
    expect(checkCard(ok, now)).toEqual({
      number: '4242424242424242',
      expMonth: 12,
      expYear: 2029,
      cvc: '123',
    });
    expect(
      checkCard({ ...ok, number: '3782-822463-10005', expiry: '11/2026', cvc: '1234' }, now).expYear,
    ).toBe(2026);
  });

  it.each([
    [{ number: '4242' }, /13 to 19 digits/],
    [{ number: '42424242424242424242' }, /13 to 19 digits/],
    [{ number: '4242424242424241' }, /not a valid card number/],
    [{ expiry: '13/29' }, /MM\/YY/],
    [{ expiry: 'soon' }, /MM\/YY/],
    [{ expiry: '10/26' }, /expired/],
    [{ cvc: '12' }, /3 or 4 digits/],
    [{ cvc: 'abc' }, /3 or 4 digits/],
  ])('refuses %o', (change, message) => {
    expect(() => checkCard({ ...ok, ...change }, now)).toThrowError(message);
  });
});
