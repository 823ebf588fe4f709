// What the owner sees of their audit trail (GET /api/users/events): the events a person would ask
// about, each with the facts it was stored with that are safe to show, renamed to the contract's
// snake_case. Anything not named here (internal bookkeeping, webhooks) is not shown; no event
// holds a secret or an address to begin with (services/audit.ts), and this list keeps it that way.
import { isEventCursor, type StoredEvent } from '#data/events.ts';
import { HttpError } from './errors.ts';

/** Each shown event and the detail fields it shows (stored name → shown name). */
const SHOWN: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  signup: { flow: 'flow' },
  'email.confirmed': { via: 'via' },
  'login.succeeded': { via: 'via', secondFactor: 'second_factor' },
  'login.failed': {},
  'api_key.minted': { keyId: 'key_id' },
  'api_key.created': { keyId: 'key_id', name: 'name', scope: 'scope', expiresAt: 'expires_at' },
  'api_key.revoked': { keyId: 'key_id', count: 'count', via: 'via' },
  'api_key.reset': { keyId: 'key_id' },
  'password.changed': { keysRevoked: 'keys_revoked' },
  'password.reset': {},
  'email.change_requested': {},
  'email.changed': { by: 'by' },
  'email.change_revoked': { result: 'result' },
  'mfa.enabled': {},
  'mfa.disabled': {},
  'mfa.recovery_codes_regenerated': {},
  'mfa.recovery_code_used': { left: 'left' },
  'mfa.failed': { inARow: 'in_a_row' },
  'ssh_key.added': { keyId: 'key_id', fingerprint: 'fingerprint' },
  'ssh_key.removed': { keyId: 'key_id' },
  'identity.linked': { provider: 'provider' },
  'billing.payment_method_set': { brand: 'brand' },
  'billing.upgraded': {},
  'account.exported': {},
  // An operator's changes: that one was made, never who made it.
  'account.suspended': { via: 'via' },
  'account.unsuspended': { via: 'via' },
  'account.tier_set': { via: 'via', tier: 'tier', previousTier: 'previous_tier' },
  'account.credited': { via: 'via', cents: 'cents', creditCents: 'credit_cents' },
  'account.deletion_requested': {},
};

/** The stored event names the activity shows. */
export const ACTIVITY_EVENTS: readonly string[] = Object.keys(SHOWN);

// Stored as epoch seconds, shown as a time like every other.
const TIMES = new Set(['expires_at']);

export function activityView(e: StoredEvent) {
  const fields = SHOWN[e.event] ?? {};
  const details: Record<string, string | number | boolean> = {};
  for (const [stored, shown] of Object.entries(fields)) {
    const value = e.detail?.[stored];
    if (value === undefined) continue;
    details[shown] = TIMES.has(shown) ? new Date(Number(value) * 1000).toISOString() : value;
  }
  return {
    event: e.event,
    at: e.at,
    ip: e.ip ?? null,
    user_agent: e.userAgent || null,
    details,
    // A day's failed logins are one row: how many, from when to when (`at`: the last).
    ...(e.event === 'login.failed' ? { count: Number(e.count ?? 1), first_at: e.firstAt ?? e.at } : {}),
  };
}

/** The OpenAPI schema of activityView. */
export const ACTIVITY_DATA = {
  type: 'object',
  required: ['event', 'at', 'ip', 'user_agent', 'details'],
  additionalProperties: false,
  properties: {
    event: { type: 'string', enum: ACTIVITY_EVENTS },
    at: {
      type: 'string',
      format: 'date-time',
      description: 'When it happened; for login.failed, the day’s last failure',
    },
    ip: { type: ['string', 'null'], description: 'Source address of the request' },
    user_agent: { type: ['string', 'null'] },
    details: {
      type: 'object',
      description:
        'The facts stored with it, never a secret or an address: key_id, name, scope, expires_at (created keys), via (how: password, google, logout, others, ...), second_factor (totp, recovery, none), count, fingerprint, left, ...',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
    count: { type: 'integer', minimum: 1, description: 'login.failed only: the failures of that UTC day' },
    first_at: {
      type: 'string',
      format: 'date-time',
      description: 'login.failed only: the day’s first failure',
    },
  },
} as const;

/** Events a page of the activity holds (the API's and the console's). */
export const ACTIVITY_PAGE = 50;

/** A page's cursor as clients see it: opaque. */
export const encodeCursor = (cursor: string): string => Buffer.from(cursor).toString('base64url');

/** A cursor a client sent back: one this service gave, or a 400. */
export function decodeCursor(raw: string): string {
  const cursor = /^[A-Za-z0-9_-]{1,200}$/.test(raw) ? Buffer.from(raw, 'base64url').toString() : '';
  if (!isEventCursor(cursor)) throw new HttpError(400, { cursor: ['is not a cursor this endpoint gave'] });
  return cursor;
}
