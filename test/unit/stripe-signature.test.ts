import fc from 'fast-check';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_TOLERANCE_SECONDS, verifyStripeSignature } from '#adapters/stripe-signature.ts';

const secret = 'whsec_unit_test_secret';
const sdk = new Stripe('sk_test_unit');
const sign = (payload: string, timestamp: number, withSecret = secret) =>
  sdk.webhooks.generateTestHeaderString({ payload, secret: withSecret, timestamp });

describe('verifyStripeSignature', () => {
  const payload = '{"id":"evt_1","type":"invoice.paid","data":{"object":{"id":"in_1"}}}';
  const now = 1_800_000_000;

  it('takes what Stripe signs, within the tolerance either way', () => {
    for (const t of [now, now - SIGNATURE_TOLERANCE_SECONDS, now + SIGNATURE_TOLERANCE_SECONDS]) {
      expect(verifyStripeSignature(payload, sign(payload, t), secret, now)).toBe(true);
    }
  });

  it('refuses another secret, another body, and timestamps past the tolerance', () => {
    expect(verifyStripeSignature(payload, sign(payload, now, 'whsec_other'), secret, now)).toBe(false);
    expect(verifyStripeSignature(`${payload} `, sign(payload, now), secret, now)).toBe(false);
    for (const t of [now - SIGNATURE_TOLERANCE_SECONDS - 1, now + SIGNATURE_TOLERANCE_SECONDS + 1]) {
      expect(verifyStripeSignature(payload, sign(payload, t), secret, now)).toBe(false);
    }
  });

  it('takes any one matching v1 among several (a secret being rolled), ignoring other schemes', () => {
    const good = sign(payload, now);
    const v1 = good.split(',')[1] as string;
    const other = sign(payload, now, 'whsec_old').split(',')[1] as string;
    expect(verifyStripeSignature(payload, `t=${now},${other},${v1},v0=abc`, secret, now)).toBe(true);
  });

  it('never throws, and never takes a header it cannot parse', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        expect(verifyStripeSignature(payload, header, secret, now)).toBe(false);
      }),
    );
  });
});
