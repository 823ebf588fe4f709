// POST /api/api_keys {current_password, name, scope, expires_in_days, mfa_token}: a key for a
// machine (CI, a deploy script), made on purpose rather than by a login: named, `full` or `read`
// (GET only), expiring after 1 to 365 days or never. It needs what a key reset needs, the current
// password (counted toward the key's throttle), and with MFA on a fresh second factor (a code, or
// a key from a login that passed one moments ago): a stolen key alone never mints another. The
// owner is mailed. It never stands for a second factor itself (no login made it).
import { MAX_KEYS_PER_ACCOUNT } from '#data/api-keys.ts';
import { KEY_LIFETIME_DAYS, KEY_SCOPES, type KeyScope, MAX_KEY_NAME_LENGTH } from '#domain/api-keys.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { choice, jsonBody, optionalInteger, optionalString, string } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestOrigin, requestTime } from '#http/request.ts';
import { createNamedKey } from '#services/key-creation.ts';

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

export const doc: EndpointDoc = {
  post: {
    summary: 'Create a named API key for a machine: full or read-only, expiring or not',
    description: `For CI and scripts, which cannot log in interactively. \`scope\` is \`full\` (everything a login's key can do) or \`read\` (GET requests only: any other method answers 403); \`expires_in_days\` is ${KEY_LIFETIME_DAYS.min} to ${KEY_LIFETIME_DAYS.max}, or absent for a key that never expires. Needs the current password, and with MFA on a fresh second factor: \`mfa_token\`, or a key from a login that passed MFA in the last 10 minutes (configurable: \`gatehouse:recentMfaMinutes\`). Wrong passwords and codes count toward the throttle of the key sent. An account holds at most ${MAX_KEYS_PER_ACCOUNT} keys that still work; the owner is mailed.`,
    responses: {
      201: 'The new key, shown this once, with its id, name, scope and expiry',
      400: 'current_password, name or scope is missing or not valid (a name is one line of up to 64 printable characters), expires_in_days is out of range, or mfa_token is missing with MFA on and the key is not fresh from a login that passed MFA',
      401: 'The current password is incorrect, or mfa_token is not a current code or an unused recovery code',
      409: `The account has ${MAX_KEYS_PER_ACCOUNT} keys that still work (revoke one first), or it changed meanwhile (MFA turned on or off, or its deletion requested); no key was made`,
      429: 'Too many wrong passwords or codes sent with this key lately (Retry-After says when to try again; log in again for a new key)',
    },
    data: {
      type: 'object',
      required: ['key', 'id', 'name', 'scope', 'expires_at'],
      additionalProperties: false,
      properties: {
        key: { type: 'string', pattern: '^gh_key_[A-Za-z0-9_-]{86}$', description: 'Shown only now' },
        id: {
          type: 'string',
          format: 'uuid',
          description: 'What the listing shows and DELETE /api/api_keys/{id} takes',
        },
        name: { type: 'string' },
        scope: { type: 'string', enum: [...KEY_SCOPES] },
        expires_at: {
          type: ['string', 'null'],
          format: 'date-time',
          description: 'From then on the key answers 401; null: it never expires',
        },
      },
    },
  },
};

export const app = createApp().post(
  '/api/api_keys',
  requireApiKey,
  jsonBody({
    current_password: string(1024),
    name: string(MAX_KEY_NAME_LENGTH),
    // Asked for, never assumed: a deploy key that turns out read-only, or a reading key that can
    // delete the account, would both surprise someone.
    scope: choice(KEY_SCOPES),
    expires_in_days: optionalInteger(KEY_LIFETIME_DAYS.min, KEY_LIFETIME_DAYS.max),
    mfa_token: optionalString(1024),
  }),
  async (c) => {
    const { body } = c.var;
    const key = await createNamedKey(
      c.var.user,
      c.var.keyId,
      { name: body.name, scope: body.scope as KeyScope, expiresInDays: body.expires_in_days },
      {
        currentPassword: body.current_password,
        code: body.mfa_token,
        keySecondFactor: c.var.keySecondFactor,
      },
      requestTime(c),
      requestOrigin(c),
    );
    return c.json(
      {
        data: {
          key: key.key,
          id: key.id,
          name: key.name,
          scope: key.scope,
          expires_at: key.expiresAt === undefined ? null : iso(key.expiresAt),
        },
      },
      201,
    );
  },
);

export const handler = handle(app);
