// GET /api/ssh_keys: the account's SSH keys, in the order they were added.
import { listSshKeys } from '#data/ssh-keys.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { SSH_KEY_DATA, sshKeyView } from '#http/ssh-key-view.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'The SSH keys of the account',
    description: 'Oldest first: each public key with its type, SHA256 fingerprint and comment.',
    responses: { 200: 'The keys (an empty list when there are none)' },
    data: { type: 'array', items: SSH_KEY_DATA },
  },
};

export const app = createApp().get('/api/ssh_keys', requireApiKey, async (c) =>
  c.json({ data: (await listSshKeys(c.var.user.userId)).map(sshKeyView) }),
);

export const handler = handle(app);
