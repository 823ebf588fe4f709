// Adding an SSH key, as POST /api/ssh_keys and the console's page do: one checked key per call, one
// account per key, at most 50 an account, the audit record in the same write, a notice mailed.
// (Removal: ssh-key-removal.ts.)
import { randomUUID } from 'node:crypto';
import { addSshKey, MAX_SSH_KEYS_PER_ACCOUNT, ownerOfSshKey, type SshKeyRecord } from '#data/ssh-keys.ts';
import type { Account } from '#domain/account.ts';
import { ConflictError } from '#domain/errors.ts';
import type { Origin, RequestTime } from '#domain/request.ts';
import { parseSshPublicKey } from '#domain/ssh-keys.ts';
import { deliver } from '#email/deliver.ts';
import { auditItem, auditLog } from './audit.ts';

/** Adds `line` to the account. ValidationError for a key Gatehouse does not take; ConflictError for the rest. */
export async function addAccountSshKey(
  user: Account,
  line: string,
  time: RequestTime,
  origin: Origin,
): Promise<SshKeyRecord> {
  const parsed = parseSshPublicKey(line);
  const { now, at: createdAt } = time;
  const keyId = randomUUID();
  const event = {
    name: 'ssh_key.added',
    userId: user.userId,
    ...origin,
    detail: { keyId, fingerprint: parsed.fingerprint },
  } as const;
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
  await deliver('notice', user.email, [
    'sshKeyAddedNotice',
    new Date(now * 1000),
    parsed.fingerprint,
    parsed.comment,
  ]);
  return {
    keyId,
    type: parsed.type,
    fingerprint: parsed.fingerprint,
    line: parsed.line,
    comment: parsed.comment,
    createdAt,
  };
}
