// SSH keys: a lookup by fingerprint (SSHKEY#<fingerprint>, one account per key: the git host finds
// the account by it) mirrored under the account (USER#<id>|SSHKEY#<keyId>, listed and purged with
// it). Adding and removing are one transaction each with the profile's count, so the cap holds
// under parallel requests and a key never belongs to two accounts.

import { STATUS } from '#domain/account.ts';
import type { SshPublicKey } from '#domain/ssh-keys.ts';
import { type TransactItem, tableName, transactIf, transactOutcome } from './client.ts';
import { getItem, queryItems } from './document.ts';
import { keys } from './keys.ts';

/** Keys an account may hold. */
export const MAX_SSH_KEYS_PER_ACCOUNT = 50;

export interface SshKeyRecord {
  readonly keyId: string;
  readonly type: string;
  readonly fingerprint: string;
  readonly line: string;
  readonly comment?: string;
  readonly createdAt: string;
}

export type AddResult = 'added' | 'taken' | 'full' | 'changed';

/** Adds the key under the account, if no account has it and the account holds fewer than 50. */
export async function addSshKey(
  userId: string,
  key: { readonly keyId: string; readonly parsed: SshPublicKey; readonly createdAt: string },
  alsoWrite: TransactItem[] = [],
): Promise<AddResult> {
  const record: SshKeyRecord = {
    keyId: key.keyId,
    type: key.parsed.type,
    fingerprint: key.parsed.fingerprint,
    line: key.parsed.line,
    ...(key.parsed.comment ? { comment: key.parsed.comment } : {}),
    createdAt: key.createdAt,
  };
  return transactOutcome<AddResult>(
    [
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.sshKey(record.fingerprint), type: 'sshKey', userId, keyId: record.keyId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.userSshKey(userId, record.keyId),
            ...record,
            userId,
            type: 'userSshKey',
            keyType: record.type,
          },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: keys.user(userId),
          ConditionExpression:
            '#status = :active AND (attribute_not_exists(sshKeyCount) OR sshKeyCount < :max)',
          UpdateExpression: 'SET sshKeyCount = if_not_exists(sshKeyCount, :zero) + :one',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':active': STATUS.active,
            ':max': MAX_SSH_KEYS_PER_ACCOUNT,
            ':zero': 0,
            ':one': 1,
          },
        },
      },
      ...alsoWrite,
    ],
    'added',
    (failedAt) => (failedAt(0) ? 'taken' : failedAt(2) ? 'full' : 'changed'),
  );
}

/** The account a key of this fingerprint belongs to, and the key's id there, if any. */
export async function ownerOfSshKey(
  fingerprint: string,
): Promise<{ readonly userId: string; readonly keyId: string } | undefined> {
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.sshKey(fingerprint),
    ConsistentRead: true,
  });
  return Item ? { userId: String(Item.userId), keyId: String(Item.keyId) } : undefined;
}

const recordOf = (item: Record<string, unknown>): SshKeyRecord => ({
  keyId: String(item.keyId),
  type: String(item.keyType),
  fingerprint: String(item.fingerprint),
  line: String(item.line),
  ...(typeof item.comment === 'string' ? { comment: item.comment } : {}),
  createdAt: String(item.createdAt),
});

/** The account's keys, in the order they were added. */
export async function listSshKeys(userId: string): Promise<SshKeyRecord[]> {
  const { Items } = await queryItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :keys)',
    ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':keys': 'SSHKEY#' },
    ConsistentRead: true,
  });
  return (Items ?? []).map(recordOf).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Removes one of the account's keys; false when it has none of that id (or it went meanwhile). */
export async function removeSshKey(
  userId: string,
  keyId: string,
  alsoWrite: TransactItem[] = [],
): Promise<boolean> {
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.userSshKey(userId, keyId),
    ConsistentRead: true,
  });
  if (!Item) return false;
  return transactIf([
    {
      Delete: {
        TableName: tableName(),
        Key: keys.userSshKey(userId, keyId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    {
      Delete: {
        TableName: tableName(),
        Key: keys.sshKey(String(Item.fingerprint)),
        ConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': userId },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(userId),
        ConditionExpression: 'sshKeyCount > :zero',
        UpdateExpression: 'SET sshKeyCount = sshKeyCount - :one',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
      },
    },
    ...alsoWrite,
  ]);
}
