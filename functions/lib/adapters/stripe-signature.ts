// Stripe's webhook signature (Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=...]),
// checked here rather than by the SDK: the SDK throws plain errors on some malformed headers and
// accepts timestamps from the future. Every malformed header is simply not a valid signature.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signature's timestamp may be from now, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

// A header with more parts than this is no header Stripe sends (it signs with at most a few secrets).
const MAX_PARTS = 16;

function parseHeader(header: string): { timestamp: number; signatures: Buffer[] } | undefined {
  const parts = header.split(',');
  if (parts.length > MAX_PARTS) return undefined;
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 1) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^[0-9]{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return undefined;
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0, Stripe's test-mode scheme) are ignored, as Stripe documents.
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
}

/** True when `header` signs `payload` with `secret` at a time within the tolerance of `now`. */
export function verifyStripeSignature(payload: string, header: string, secret: string, now: number): boolean {
  const parsed = parseHeader(header);
  if (!parsed || Math.abs(now - parsed.timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${parsed.timestamp}.${payload}`, 'utf8').digest();
  // Every candidate is 32 bytes, as is the digest: each comparison takes the same time.
  return parsed.signatures.some((s) => timingSafeEqual(s, expected));
}
