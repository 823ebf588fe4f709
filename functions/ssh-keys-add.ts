// POST /api/ssh_keys {ssh_key}: adds a public key to the account (the platform's git and shell
// hosts trust it as the account's). One key per call, checked (lib/domain/ssh-keys.ts); a key
// belongs to one account only; at most 50 an account; the owner is mailed.
import { MAX_SSH_KEYS_PER_ACCOUNT } from '#data/ssh-keys.ts';
import { MAX_SSH_KEY_LENGTH } from '#domain/ssh-keys.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestOrigin, requestTime } from '#http/request.ts';
import { SSH_KEY_DATA, sshKeyView } from '#http/ssh-key-view.ts';
import { addAccountSshKey } from '#services/ssh-keys.ts';

export const doc: EndpointDoc = {
  post: {
    summary: 'Add an SSH key',
    description: `One OpenSSH public key line (\`ssh-ed25519\`, \`ecdsa-sha2-nistp256/384/521\`, or \`ssh-rsa\` of 2048 bits or more; its comment kept). A key belongs to one account only; an account holds at most ${MAX_SSH_KEYS_PER_ACCOUNT}. The owner is mailed.`,
    responses: {
      201: 'The key as stored, with its fingerprint',
      400: 'ssh_key is not one valid public key of a type Gatehouse takes (the message says what is wrong: a private key, two lines, an RSA key under 2048 bits, ...)',
      409: `The key is already on this or another account, the account holds ${MAX_SSH_KEYS_PER_ACCOUNT} keys already, or the account changed meanwhile`,
    },
    data: SSH_KEY_DATA,
  },
};

export const app = createApp().post(
  '/api/ssh_keys',
  requireApiKey,
  jsonBody({ ssh_key: string(MAX_SSH_KEY_LENGTH) }),
  async (c) => {
    const key = await addAccountSshKey(c.var.user, c.var.body.ssh_key, requestTime(c), requestOrigin(c));
    return c.json({ data: sshKeyView(key) }, 201);
  },
);

export const handler = handle(app);
