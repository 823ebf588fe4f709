// DELETE /api/api_keys/others: "log out everywhere else". Every key of the account but the one
// this request uses stops working; the owner keeps the session they are in. Needs the key alone:
// revoking keys never raises what a holder can do, and the owner logs in again where they lost one.
import { revokeOtherApiKeys } from '#data/api-keys.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { auditItem, auditLog } from '#services/audit.ts';

export const doc: EndpointDoc = {
  delete: {
    summary: 'Log out everywhere else: revoke every API key of the account but this one',
    description:
      'The other keys fail from their next request on; the key this request uses keeps working. `revoked` counts the keys revoked (0 when there were none).',
    responses: { 200: 'The other keys are revoked; `message` says how many' },
    data: {
      type: 'object',
      required: ['message', 'revoked'],
      additionalProperties: false,
      properties: {
        message: { type: 'string' },
        revoked: { type: 'integer', minimum: 0, description: 'How many keys were revoked' },
      },
    },
  },
};

export const app = createApp().delete('/api/api_keys/others', requireApiKey, async (c) => {
  const { userId } = c.var.user;
  const now = requestNow(c);
  const event = (count: number) =>
    ({ name: 'api_key.revoked', userId, ...requestOrigin(c), detail: { count, via: 'others' } }) as const;
  const revoked = await revokeOtherApiKeys(userId, c.var.keyId, undefined, (count) =>
    auditItem(event(count), now),
  );
  auditLog(event(revoked));
  const message =
    revoked === 0
      ? 'No other key was in use: only this one works.'
      : `Logged out everywhere else: ${revoked} other ${revoked === 1 ? 'key' : 'keys'} revoked.`;
  return c.json({ data: { message, revoked } });
});

export const handler = handle(app);
