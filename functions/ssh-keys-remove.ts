// DELETE /api/ssh_keys {id}: removes one of the account's SSH keys (the Gigalixir CLI sends the id
// in the body). Its fingerprint is free for any account again.
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { general, HttpError } from '#http/errors.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { removeAccountSshKey } from '#services/ssh-key-removal.ts';

export const doc: EndpointDoc = {
  delete: {
    summary: 'Remove an SSH key',
    description: 'By the id GET /api/ssh_keys shows, in the body.',
    responses: {
      200: 'The key is removed',
      404: 'The account has no SSH key of that id',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().delete(
  '/api/ssh_keys',
  requireApiKey,
  jsonBody({ id: string(64) }),
  async (c) => {
    if (!(await removeAccountSshKey(c.var.user, c.var.body.id, requestNow(c), requestOrigin(c))))
      throw new HttpError(404, general('No SSH key of that id on this account.'));
    return c.json({ data: { message: 'The SSH key is removed.' } });
  },
);

export const handler = handle(app);
