// DELETE /api/api_keys/current: server-side logout of the key used; it fails on the next request.
import { revokeKey } from '#data/api-keys.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { auditItem, auditLog } from '#services/audit.ts';

export const doc: EndpointDoc = {
  delete: {
    summary: 'Log out: revoke the API key this request uses',
    description: "The key fails from the next request on; the account's other keys keep working.",
    responses: { 200: 'The key is revoked; `message` says so' },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().delete('/api/api_keys/current', requireApiKey, async (c) => {
  const event = {
    name: 'api_key.revoked',
    userId: c.var.user.userId,
    ...requestOrigin(c),
    detail: { keyId: c.var.keyId, via: 'logout' },
  } as const;
  // Revoked meanwhile (a parallel logout): gone all the same, and recorded by whoever revoked it.
  if (await revokeKey(c.var.keyRecord, [auditItem(event, requestNow(c))])) auditLog(event);
  return c.json({ data: { message: 'Logged out: this key no longer works.' } });
});

export const handler = handle(app);
