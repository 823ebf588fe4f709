// External identities (Google) linked to accounts: IDENTITY#<provider>#<subject> → user id, with a
// mirror under the user for listing and purging. Keyed by the provider's stable subject, never by
// the address, which the provider may let its user change.

import { STATUS } from '#domain/account.ts';
import { type TransactItem, tableName, transactIf, transactWrite } from './client.ts';
import { getItem, queryItems } from './document.ts';
import { keys } from './keys.ts';
import { tokenDelete } from './tokens.ts';

export const GOOGLE = 'google';

/** The account a Google subject is linked to. */
export async function findIdentity(provider: string, subject: string): Promise<string | undefined> {
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.identity(provider, subject),
    ConsistentRead: true,
  });
  return Item ? String(Item.userId) : undefined;
}

/** The two items of a link; the lookup's condition keeps one subject on one account. */
export function identityPuts(
  userId: string,
  provider: string,
  identity: { sub: string; email: string },
  linkedAt: string,
): TransactItem[] {
  const common = { userId, provider, subject: identity.sub, email: identity.email, linkedAt };
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.identity(provider, identity.sub), type: 'identity', ...common },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.userIdentity(userId, provider, identity.sub), type: 'userIdentity', ...common },
      },
    },
  ];
}

/**
 * The identity's owner proved the address of an UNCONFIRMED account (perhaps made by someone else
 * with a password of their choosing): the account is confirmed, that password replaced by
 * `unusableHash` (a hash of a secret nobody holds), its confirmation link killed and the identity
 * linked, in one transaction. False when the account changed meanwhile.
 */
export function claimUnconfirmedWithIdentity(
  user: { userId: string; email: string; version: number; confirmTokenHash?: string },
  provider: string,
  identity: { sub: string; email: string },
  unusableHash: string,
  at: string,
  alsoWrite: TransactItem[] = [],
): Promise<boolean> {
  const items: TransactItem[] = [
    ...identityPuts(user.userId, provider, identity, at),
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        ConditionExpression: '#status = :unconfirmed AND email = :email AND version = :version',
        UpdateExpression:
          'SET #status = :active, emailConfirmedAt = :at, passwordHash = :unusable, version = version + :one REMOVE confirmTokenHash, gsi1pk, gsi1sk',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':unconfirmed': STATUS.unconfirmed,
          ':email': user.email,
          ':version': user.version,
          ':active': STATUS.active,
          ':at': at,
          ':unusable': unusableHash,
          ':one': 1,
        },
      },
    },
    ...alsoWrite,
  ];
  if (user.confirmTokenHash) {
    items.push(tokenDelete(user.confirmTokenHash));
  }
  return transactIf(items);
}

/**
 * Unlinks every external identity of the account (recovery: a reset, an undone email change, an
 * operator's MFA reset), so a sign-in someone else linked stops working. The owner's own Google
 * account links again by its verified address at the next Google sign-in. Returns how many went.
 */
export async function unlinkIdentities(userId: string): Promise<number> {
  const linked = await listIdentities(userId);
  for (const { provider, subject } of linked) {
    await transactWrite([
      { Delete: { TableName: tableName(), Key: keys.identity(provider, subject) } },
      { Delete: { TableName: tableName(), Key: keys.userIdentity(userId, provider, subject) } },
    ]);
  }
  return linked.length;
}

/** An external identity linked to an account: who at the provider, their address there, since when. */
export interface LinkedIdentity {
  readonly provider: string;
  readonly subject: string;
  readonly email?: string;
  readonly linkedAt?: string;
}

/** The account's linked identities (consistent). */
export async function listIdentities(userId: string): Promise<LinkedIdentity[]> {
  const { Items } = await queryItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':prefix': 'IDENTITY#' },
    ConsistentRead: true,
  });
  return (Items ?? []).map((item) => ({
    provider: String(item.provider),
    subject: String(item.subject),
    email: item.email === undefined ? undefined : String(item.email),
    linkedAt: item.linkedAt === undefined ? undefined : String(item.linkedAt),
  }));
}
