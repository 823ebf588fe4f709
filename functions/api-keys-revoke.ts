// DELETE /api/api_keys/{id}: revokes one key of the account (404 for any other id).
import { revokeApiKey } from '#data/api-keys.ts';
import { looksLikeKeyId } from '#domain/api-keys.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { general, HttpError } from '#http/errors.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { audit } from '#services/audit.ts';

export const doc: EndpointDoc = {
  delete: {
    summary: 'Revoke one API key of the account',
    description:
      'Any key of the account, the one this request uses included; it fails from the next request on.',
    params: { id: "The key's `id`, as GET /api/api_keys lists it (a UUID)" },
    responses: {
      200: 'The key is revoked; `message` says so',
      404: "The account has no key with this id (not a UUID, another account's key, or revoked already)",
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().delete('/api/api_keys/:id', requireApiKey, async (c) => {
  const id = c.req.param('id');
  const { userId } = c.var.user;
  if (!looksLikeKeyId(id) || !(await revokeApiKey(userId, id)))
    throw new HttpError(404, general('No such API key'));
  await audit({ name: 'api_key.revoked', userId, ...requestOrigin(c), detail: { keyId: id } }, requestNow(c));
  return c.json({ data: { message: 'The key no longer works.' } });
});

export const handler = handle(app);
