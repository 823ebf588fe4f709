// A change of address: starting it (two links: confirm at the new address, revoke at the old),
// confirming it, and undoing it from the old address while its revoke links live.
import { type Account, isSuspended, isUnconfirmed, STATUS } from '#domain/account.ts';
import { ConflictError, InvalidTokenError } from '#domain/errors.ts';
import { INVALID_LINK, LINK_OF_SUSPENDED } from '#domain/messages.ts';
import { type TransactItem, tableName, transactOutcome } from './client.ts';
import { getItem } from './document.ts';
import { keys } from './keys.ts';
import { outboxPut } from './outbox.ts';
import { emailClaimPut, getUser, getUserByEmail, releaseEmailClaim } from './profiles.ts';
import {
  linkRefused,
  liveToken,
  type NewToken,
  spendLink,
  tokenDelete,
  tokenOf,
  tokenPut,
} from './tokens.ts';

/**
 * Until when the last confirmed change of address may still be undone from the old address (its
 * revoke link's expiry), or undefined. A new change would replace that link, so it waits: else
 * whoever took the account could kill the owner's way back by starting another change.
 */
export async function undoableChangeUntil(user: Account, now: number): Promise<number | undefined> {
  // While a change is pending, its own undo link is the one on the profile: a newer request may
  // replace it (the confirmed change before it can no longer be undone by then).
  if (!user.previousEmail || !user.emailRevokeTokenHash || user.pendingEmail) return undefined;
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.token(user.emailRevokeTokenHash),
    ConsistentRead: true,
  });
  const token = Item ? tokenOf(Item) : undefined;
  if (token?.purpose !== 'email-revoke' || token.expiresAt <= now) return undefined;
  // An undo that can never succeed holds nothing back: another confirmed account has the old
  // address (an unconfirmed signup there does not count: the undo takes the address back).
  const holder = await getUserByEmail(user.previousEmail);
  if (holder && holder.userId !== user.userId && !isUnconfirmed(holder)) return undefined;
  return token.expiresAt;
}

export interface EmailChangeTokens {
  readonly confirm: NewToken;
  readonly revoke: NewToken;
}

/**
 * Starts an email change: the profile notes the pending address and the digests of its two links
 * (a newer request kills the older links). Nothing else changes until the new address confirms.
 */
export async function startEmailChange(
  user: Account,
  next: string,
  tokens: EmailChangeTokens,
): Promise<void> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        ConditionExpression: 'version = :version',
        UpdateExpression:
          'SET pendingEmail = :next, emailChangeTokenHash = :confirm, emailRevokeTokenHash = :revoke, version = version + :one REMOVE emailFirstRevokeTokenHash',
        ExpressionAttributeValues: {
          ':version': user.version,
          ':next': next,
          ':confirm': tokens.confirm.hash,
          ':revoke': tokens.revoke.hash,
          ':one': 1,
        },
      },
    },
    tokenPut(tokens.confirm, user.userId, 'email-change'),
    tokenPut(tokens.revoke, user.userId, 'email-revoke'),
  ];
  for (const old of [user.emailChangeTokenHash, user.emailRevokeTokenHash, user.emailFirstRevokeTokenHash]) {
    if (old) items.push(tokenDelete(old));
  }
  await transactOutcome(items, undefined, (failedAt) => {
    if (failedAt(0)) throw new ConflictError('The account changed meanwhile. Try again.');
    return undefined;
  });
}

/** The account of a live link of `purpose`, which must still be that account's current one. */
export async function userOfLink(
  tokenHash: string,
  purpose: 'email-change' | 'email-revoke',
  now: number,
): Promise<Account> {
  const token = await liveToken(tokenHash, purpose, now);
  const user = await getUser(token.userId);
  const current =
    purpose === 'email-change'
      ? [user?.emailChangeTokenHash]
      : [user?.emailRevokeTokenHash, user?.emailFirstRevokeTokenHash];
  if (!user || !current.includes(tokenHash)) throw new InvalidTokenError('token', INVALID_LINK);
  if (isSuspended(user)) throw new InvalidTokenError('token', LINK_OF_SUSPENDED);
  return user;
}

export type SwitchResult = 'switched' | 'taken';

/**
 * Moves the account to its pending address in one transaction: the old claim goes, the new one is
 * put only if the address is still free, the profile switches (keeping the old address for the
 * revoke links) and the confirm link is spent. The revoke link mailed with the request keeps
 * working beside the new one: an owner whose account was taken clicks the first mail they get.
 * 'taken': nothing changed.
 */
export async function switchEmail(
  user: Account,
  tokenHash: string,
  revoke: NewToken,
  now: number,
): Promise<SwitchResult> {
  const next = user.pendingEmail;
  const first = user.emailRevokeTokenHash;
  if (!next || !first) throw new InvalidTokenError('token', INVALID_LINK);
  const items: TransactItem[] = [
    emailClaimPut(next, user.userId),
    spendLink(tokenHash, now),
    releaseEmailClaim(user.email, user.userId),
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        ConditionExpression: 'emailChangeTokenHash = :hash AND email = :old AND pendingEmail = :next',
        UpdateExpression:
          'SET email = :next, previousEmail = :old, pendingEmail = :none, emailRevokeTokenHash = :revoke, emailFirstRevokeTokenHash = :first, version = version + :one REMOVE emailChangeTokenHash',
        ExpressionAttributeValues: {
          ':hash': tokenHash,
          ':old': user.email,
          ':next': next,
          ':none': null,
          ':revoke': revoke.hash,
          ':first': first,
          ':one': 1,
        },
      },
    },
    // A second revoke link, for the notice to the old address.
    tokenPut(revoke, user.userId, 'email-revoke'),
    outboxPut(
      user.userId,
      'account.email_changed',
      { email: next, previousEmail: user.email, undo: false },
      now,
    ),
  ];
  return transactOutcome<SwitchResult>(items, 'switched', (failedAt) =>
    failedAt(0) ? 'taken' : linkRefused(),
  );
}

export type RevokeResult = 'cancelled' | 'restored' | 'old-address-taken';

/**
 * Uses a revoke link: before confirmation it cancels the pending change; after, it moves the
 * account back to the old address (if that is still free). Either way the link is spent.
 */
export async function revokeEmailChange(
  user: Account,
  tokenHash: string,
  now: number,
): Promise<RevokeResult> {
  const spend: TransactItem = spendLink(tokenHash, now);
  if (user.pendingEmail) {
    const items: TransactItem[] = [
      spend,
      {
        Update: {
          TableName: tableName(),
          Key: keys.user(user.userId),
          ConditionExpression: 'emailRevokeTokenHash = :hash AND pendingEmail = :pending',
          UpdateExpression:
            'SET pendingEmail = :none, version = version + :one REMOVE emailChangeTokenHash, emailRevokeTokenHash',
          ExpressionAttributeValues: {
            ':hash': tokenHash,
            ':pending': user.pendingEmail,
            ':none': null,
            ':one': 1,
          },
        },
      },
    ];
    if (user.emailChangeTokenHash) items.push(tokenDelete(user.emailChangeTokenHash));
    return transactOutcome(items, 'cancelled', linkRefused);
  }
  const previous = user.previousEmail;
  if (!previous) throw new InvalidTokenError('token', INVALID_LINK);
  // The other revoke link of the change goes with this one.
  const other = [user.emailRevokeTokenHash, user.emailFirstRevokeTokenHash].find(
    (hash) => hash !== undefined && hash !== tokenHash,
  );
  return transactOutcome<RevokeResult>(
    [
      emailClaimPut(previous, user.userId),
      spend,
      releaseEmailClaim(user.email, user.userId),
      {
        Update: {
          TableName: tableName(),
          Key: keys.user(user.userId),
          // ACTIVE: an account being deleted keeps the address its deletion will release.
          ConditionExpression:
            '(emailRevokeTokenHash = :hash OR emailFirstRevokeTokenHash = :hash) AND email = :current AND previousEmail = :previous AND #status = :active',
          UpdateExpression:
            'SET email = :previous, version = version + :one REMOVE previousEmail, emailRevokeTokenHash, emailFirstRevokeTokenHash',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':hash': tokenHash,
            ':current': user.email,
            ':previous': previous,
            ':active': STATUS.active,
            ':one': 1,
          },
        },
      },
      ...(other ? [tokenDelete(other)] : []),
      outboxPut(
        user.userId,
        'account.email_changed',
        { email: previous, previousEmail: user.email, undo: true },
        now,
      ),
    ],
    'restored',
    (failedAt) => (failedAt(0) ? 'old-address-taken' : linkRefused()),
  );
}
