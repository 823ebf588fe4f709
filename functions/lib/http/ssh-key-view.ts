// What an SSH key looks like to its owner, in every answer that shows one.
import type { SshKeyRecord } from '#data/ssh-keys.ts';

export const sshKeyView = (k: SshKeyRecord) => ({
  id: k.keyId,
  key: k.line,
  type: k.type,
  fingerprint: k.fingerprint,
  comment: k.comment ?? null,
  created_at: k.createdAt,
});

/** The OpenAPI schema of sshKeyView. */
export const SSH_KEY_DATA = {
  type: 'object',
  required: ['id', 'key', 'type', 'fingerprint', 'comment', 'created_at'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid', description: 'What DELETE /api/ssh_keys takes' },
    key: { type: 'string', description: 'The public key, as OpenSSH writes it (with its comment)' },
    type: {
      type: 'string',
      enum: ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'],
    },
    fingerprint: {
      type: 'string',
      description: 'OpenSSH’s SHA256 fingerprint, as `ssh-keygen -l` prints it',
    },
    comment: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;
