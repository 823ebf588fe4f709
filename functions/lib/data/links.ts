// The links of an account's address: confirming it (the confirmation link) and setting a new
// password (the reset link). Each is spent in the same transaction as the change it makes.
import {
  type Account,
  isSuspended,
  isUnconfirmed,
  LINK_STATUSES,
  mayReceiveLinks,
  STATUS,
} from '#domain/account.ts';
import { InvalidTokenError } from '#domain/errors.ts';
import { INVALID_LINK, LINK_OF_SUSPENDED } from '#domain/messages.ts';
import { type TransactItem, tableName, transactOutcome } from './client.ts';
import { keys } from './keys.ts';
import { getUser } from './profiles.ts';
import { linkRefused, liveToken, type NewToken, spendLink, tokenDelete, tokenPut } from './tokens.ts';

/**
 * Consumes a confirmation link: the token item goes and the profile turns ACTIVE in one
 * transaction, only while the token is unexpired and still the profile's current one.
 */
export async function confirmEmail(
  tokenHash: string,
  now: number,
  confirmedAt: string,
  alsoWrite: (user: Account) => TransactItem[] = () => [],
): Promise<Account> {
  const token = await liveToken(tokenHash, 'confirm-email', now);
  // The account as it is before (its address and tier, for what is written with the change); the
  // transaction holds it to that version, so what it becomes needs no second read.
  const before = await getUser(token.userId);
  if (!before) throw new InvalidTokenError('token', INVALID_LINK);
  await transactOutcome(
    [
      spendLink(tokenHash, now),
      {
        Update: {
          TableName: tableName(),
          Key: keys.user(token.userId),
          ConditionExpression: 'confirmTokenHash = :hash AND #status = :unconfirmed AND version = :version',
          UpdateExpression:
            'SET #status = :active, emailConfirmedAt = :at, version = version + :one REMOVE confirmTokenHash, gsi1pk, gsi1sk',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':hash': tokenHash,
            ':unconfirmed': STATUS.unconfirmed,
            ':active': STATUS.active,
            ':at': confirmedAt,
            ':one': 1,
            ':version': before.version,
          },
        },
      },
      ...alsoWrite(before),
    ],
    undefined,
    linkRefused,
  );
  const { confirmTokenHash: _spent, ...rest } = before;
  return { ...rest, status: STATUS.active, emailConfirmedAt: confirmedAt, version: before.version + 1 };
}

/**
 * Gives an UNCONFIRMED user a new confirmation link; the old one dies with it. Returns false
 * when the user is no longer UNCONFIRMED (confirmed meanwhile): nothing is written then.
 */
export async function replaceConfirmToken(user: Account, next: NewToken): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        ConditionExpression: '#status = :unconfirmed',
        UpdateExpression: 'SET confirmTokenHash = :hash, version = version + :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':unconfirmed': STATUS.unconfirmed, ':hash': next.hash, ':one': 1 },
      },
    },
    tokenPut(next, user.userId),
  ];
  if (user.confirmTokenHash) {
    items.push(tokenDelete(user.confirmTokenHash));
  }
  return transactOutcome(items, true, (failedAt) => (failedAt(0) ? false : undefined));
}

/**
 * Gives the account a new reset link (the older one dies), only while it is ACTIVE or UNCONFIRMED.
 * False when it is not by the time of the write (a deletion was requested meanwhile): no link.
 */
export async function replaceResetToken(user: Account, next: NewToken): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        // The domain's rule (mayReceiveLinks), checked again at the write.
        ConditionExpression: `#status IN (${LINK_STATUSES.map((_, i) => `:s${i}`).join(', ')})`,
        UpdateExpression: 'SET resetTokenHash = :hash, version = version + :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':hash': next.hash,
          ':one': 1,
          ...Object.fromEntries(LINK_STATUSES.map((status, i) => [`:s${i}`, status])),
        },
      },
    },
    tokenPut(next, user.userId, 'reset-password'),
  ];
  if (user.resetTokenHash) items.push(tokenDelete(user.resetTokenHash));
  return transactOutcome(items, true, (failedAt) => (failedAt(0) ? false : undefined));
}

/**
 * The account a live reset link belongs to (its newest link only), while it is ACTIVE or
 * UNCONFIRMED: a link mailed before a deletion was requested sets nothing on an account going.
 */
export async function userOfResetToken(tokenHash: string, now: number): Promise<Account> {
  const token = await liveToken(tokenHash, 'reset-password', now);
  const user = await getUser(token.userId);
  if (user?.resetTokenHash !== tokenHash) throw new InvalidTokenError('token', INVALID_LINK);
  if (isSuspended(user)) throw new InvalidTokenError('token', LINK_OF_SUSPENDED);
  if (!mayReceiveLinks(user)) throw new InvalidTokenError('token', INVALID_LINK);
  return user;
}

/**
 * Sets the password with a reset link, which is spent, in one transaction. The link proves the
 * mailbox, so an account still UNCONFIRMED is confirmed too: whoever started a signup with
 * someone else's address loses it to the address's owner.
 */
export async function resetPasswordWithToken(
  user: Account,
  tokenHash: string,
  passwordHash: string,
  now: number,
  alsoWrite: TransactItem[] = [],
): Promise<void> {
  const confirming = isUnconfirmed(user);
  const items: TransactItem[] = [
    spendLink(tokenHash, now),
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        ConditionExpression:
          'resetTokenHash = :hash AND #status = :status AND attribute_not_exists(suspendedAt)',
        UpdateExpression: confirming
          ? 'SET passwordHash = :password, #status = :active, emailConfirmedAt = :at, version = version + :one REMOVE resetTokenHash, confirmTokenHash, gsi1pk, gsi1sk'
          : 'SET passwordHash = :password, version = version + :one REMOVE resetTokenHash',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':hash': tokenHash,
          ':status': user.status,
          ':password': passwordHash,
          ':one': 1,
          ...(confirming ? { ':active': STATUS.active, ':at': new Date(now * 1000).toISOString() } : {}),
        },
      },
    },
    ...alsoWrite,
  ];
  if (confirming && user.confirmTokenHash) {
    items.push(tokenDelete(user.confirmTokenHash));
  }
  await transactOutcome(items, undefined, linkRefused);
}
