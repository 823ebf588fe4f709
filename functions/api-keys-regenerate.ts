// POST /api/api_keys/regenerate: a new key, every other key of the account revoked, a notice
// mailed. Needs the current password: in the JSON body, or in the query string (what the
// Gigalixir CLI sends; access logs never record query strings). Wrong passwords count toward the
// same per-address throttle as login, so a stolen key cannot be used to guess the password.
import { listApiKeys, newKeyRecord, revokeOtherApiKeys, storeApiKey } from '#data/api-keys.ts';
import { profileCheck } from '#data/profiles.ts';
import { newApiKey } from '#domain/api-keys.ts';
import { ConflictError } from '#domain/errors.ts';
import { deliver } from '#email/deliver.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { optionalJsonBody, optionalString } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { HttpError } from '#http/errors.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin, requestTime } from '#http/request.ts';
import { auditItem, auditLog } from '#services/audit.ts';
import { checkCurrentPassword } from '#services/reauthenticate.ts';

export const doc: EndpointDoc = {
  post: {
    summary: 'Reset the API key: a new key, every other key revoked',
    description:
      'Needs the current password, in the body or in the query string (as the Gigalixir CLI sends it); wrong passwords count toward the throttle of the key sent. The new key is stored before the others are revoked, and the owner is mailed a notice.',
    query: {
      current_password: {
        description: 'The current password, when the body does not carry it (the body wins)',
      },
    },
    responses: {
      201: 'The new key, shown this once; every other key of the account is revoked',
      400: 'No current password, neither in the body nor in the query string',
      401: 'The current password is incorrect',
      409: 'The account changed meanwhile (MFA turned on or off, or its deletion requested); no key was made',
      429: 'Too many wrong passwords or codes sent with this key lately (Retry-After says when to try again; log in again for a new key)',
    },
    data: {
      type: 'object',
      required: ['key', 'expires_at'],
      properties: {
        key: { type: 'string', pattern: '^gh_key_[A-Za-z0-9_-]{86}$' },
        expires_at: { type: 'null', description: 'Keys do not expire' },
      },
    },
  },
};

export const app = createApp().post(
  '/api/api_keys/regenerate',
  requireApiKey,
  optionalJsonBody({ current_password: optionalString(1024) }),
  async (c) => {
    const { user } = c.var;
    const password = c.var.body.current_password ?? c.req.query('current_password');
    if (!password) throw new HttpError(400, { current_password: ["can't be blank"] });
    const now = requestNow(c);
    const origin = requestOrigin(c);
    const passed = await checkCurrentPassword(user, c.var.keyId, password, now, origin.ip);
    const key = newApiKey(user.userId);
    const event = {
      name: 'api_key.reset',
      userId: user.userId,
      ...origin,
      detail: { keyId: key.id },
    } as const;
    // The new key first: whatever fails after, the account is never left without one. Only while
    // the account is ACTIVE (a deletion may have been requested meanwhile) and MFA as it was.
    // The account's keys are read with it, for the revocation that follows.
    const [stored, listed] = await Promise.all([
      storeApiKey(newKeyRecord(user.userId, key, requestTime(c).at, { origin }), [
        profileCheck(user),
        auditItem(event, now),
      ]),
      listApiKeys(user.userId),
      passed.succeed(),
    ]);
    if (!stored) throw new ConflictError('The account changed meanwhile. Try again.');
    auditLog(event);
    const revokedEvent = (count: number) =>
      ({ name: 'api_key.revoked', userId: user.userId, ...origin, detail: { count, via: 'reset' } }) as const;
    const revoked = await revokeOtherApiKeys(user.userId, key.id, listed, (count) =>
      auditItem(revokedEvent(count), now),
    );
    auditLog(revokedEvent(revoked));
    await deliver('notice', user.email, ['apiKeyResetNotice', new Date(now * 1000)]);
    return c.json({ data: { key: key.key, expires_at: null } }, 201);
  },
);

export const handler = handle(app);
