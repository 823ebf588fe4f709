// Removing an SSH key, as DELETE /api/ssh_keys and the console's page do: the audit record in the
// same write. A module of its own: removal mails nobody, so its routes hold no mail code.
import { removeSshKey } from '#data/ssh-keys.ts';
import type { Account } from '#domain/account.ts';
import type { Origin } from '#domain/request.ts';
import { auditItem, auditLog } from './audit.ts';

/** Whether the account had a key of that id (now removed). */
export async function removeAccountSshKey(
  user: Account,
  keyId: string,
  now: number,
  origin: Origin,
): Promise<boolean> {
  const event = { name: 'ssh_key.removed', userId: user.userId, ...origin, detail: { keyId } } as const;
  if (!(await removeSshKey(user.userId, keyId, [auditItem(event, now)]))) return false;
  auditLog(event);
  return true;
}
