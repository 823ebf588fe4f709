// POST /api/ssh_keys {ssh_key}: adds a public key to the account (the platform's git and shell
// hosts trust it as the account's). One key per call, checked (lib/domain/ssh-keys.ts); a key
// belongs to one account only; at most 50 an account; the owner is mailed.
import { randomUUID } from 'node:crypto';
import { handle } from 'hono/aws-lambda';
import { addSshKey, MAX_SSH_KEYS_PER_ACCOUNT, ownerOfSshKey } from '#data/ssh-keys.ts';
import { ConflictError } from '#domain/errors.ts';
import { MAX_SSH_KEY_LENGTH, parseSshPublicKey } from '#domain/ssh-keys.ts';
import { deliver } from '#email/deliver.ts';
import { sshKeyAddedNotice } from '#email/templates.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { requestNow, requestOrigin, requestTime } from '#http/request.ts';
import { SSH_KEY_DATA, sshKeyView } from '#http/ssh-key-view.ts';
import { auditItem, auditLog } from '#services/audit.ts';

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
    const { user } = c.var;
    const parsed = parseSshPublicKey(c.var.body.ssh_key);
    const now = requestNow(c);
    const keyId = randomUUID();
    const event = {
      name: 'ssh_key.added',
      userId: user.userId,
      ...requestOrigin(c),
      detail: { keyId, fingerprint: parsed.fingerprint },
    } as const;
    const createdAt = requestTime(c).at;
    const result = await addSshKey(user.userId, { keyId, parsed, createdAt }, [auditItem(event, now)]);
    if (result === 'taken') {
      const mine = (await ownerOfSshKey(parsed.fingerprint))?.userId === user.userId;
      throw new ConflictError(
        mine
          ? 'This key is on your account already.'
          : 'This key belongs to another account: each key may belong to one account only.',
      );
    }
    // (The profile's condition also fails for an account a deletion has just marked; it can no
    // longer use its keys then, so the message does not matter to anyone.)
    if (result === 'full')
      throw new ConflictError(
        `An account holds at most ${MAX_SSH_KEYS_PER_ACCOUNT} SSH keys: remove one first.`,
      );
    if (result !== 'added') throw new ConflictError('The account changed meanwhile. Try again.');
    auditLog(event);
    await deliver(
      'notice',
      user.email,
      sshKeyAddedNotice(new Date(now * 1000), parsed.fingerprint, parsed.comment),
    );
    return c.json(
      {
        data: sshKeyView({
          keyId,
          type: parsed.type,
          fingerprint: parsed.fingerprint,
          line: parsed.line,
          comment: parsed.comment,
          createdAt,
        }),
      },
      201,
    );
  },
);

export const handler = handle(app);
