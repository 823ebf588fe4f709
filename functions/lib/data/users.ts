// Users: profile, email uniqueness and email confirmation. Every change is one conditional write
// or one transaction; nothing here reads and then writes unguarded.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, EmailTakenError, InvalidTokenError } from '../domain/errors.ts';
import type { Tier } from '../domain/tiers.ts';
import { INVALID_LINK } from '../messages.ts';
import {
  conditionFailedAt,
  db,
  isTransactionCanceled,
  type TransactItem,
  tableName,
  transactWrite,
  updateIf,
} from './client.ts';
import { keys, unconfirmedIndexKey, unconfirmedShard, userIdOf } from './keys.ts';
import { TABLE_SCHEMA } from './table.ts';

/**
 * DELETING from the destroy request until the deletion workflow removes the profile (every key
 * stops working at once: lib/http/auth.ts); DELETION_FAILED when the workflow gave up
 * (docs/operations.md).
 */
export type UserStatus = 'UNCONFIRMED' | 'ACTIVE' | 'DELETING' | 'DELETION_FAILED';

export interface User {
  readonly userId: string;
  readonly email: string;
  readonly status: UserStatus;
  readonly passwordHash: string;
  readonly tier: Tier;
  readonly creditCents: number;
  readonly mfaEnabled: boolean;
  /** The active TOTP secret, sealed (lib/mfa-secrets.ts); present while mfaEnabled. */
  readonly mfaSecret?: string;
  /** A TOTP secret being set up, sealed; becomes mfaSecret when a code from it is verified. */
  readonly mfaPendingSecret?: string;
  /** How many SSH keys the account holds (kept in the transaction that adds or removes one). */
  readonly sshKeyCount?: number;
  /** The key that started the pending setup, and when: a rerun with it shows the same secret. */
  readonly mfaPendingKeyId?: string;
  readonly mfaPendingAt?: number;
  /** The last TOTP time step used: a code of it or any earlier step is refused (used once). */
  readonly mfaLastStep?: number;
  /** Digests of the unused recovery codes (a string set: each use deletes one atomically). */
  readonly mfaRecoveryCodes?: ReadonlySet<string>;
  readonly mfaEnabledAt?: string;
  /** The Stripe customer, made once (billing.ts), and the default card as shown to the user. */
  readonly stripeCustomerId?: string;
  readonly paymentMethod?: { id: string; brand: string; last4: string; expMonth: number; expYear: number };
  /** Invoices unpaid after a payment attempt, as Stripe's webhooks last told (data/billing.ts). */
  readonly failedInvoices?: ReadonlySet<string>;
  readonly pendingEmail: string | null;
  readonly createdAt: string;
  readonly emailConfirmedAt?: string;
  /** Digest of the one confirmation link that still works; a new link replaces it. */
  readonly confirmTokenHash?: string;
  /** Digest of the one password reset link that still works. */
  readonly resetTokenHash?: string;
  /** Digests of the links of the email change under way: confirm (new address), revoke (old). */
  readonly emailChangeTokenHash?: string;
  readonly emailRevokeTokenHash?: string;
  /**
   * After confirmation, the revoke link mailed with the request (the notice of the change carries
   * a newer one): both undo the change for their 7 days, and either use kills the other.
   */
  readonly emailFirstRevokeTokenHash?: string;
  /** The address before the last confirmed change, while its revoke link may undo it. */
  readonly previousEmail?: string;
  /** The deletion under way: the name of its workflow execution, set with status DELETING. */
  readonly deletionExecution?: string;
  readonly deletionRequestedAt?: string;
  /** Set by the workflow's first step: from then on the request can no longer be withdrawn. */
  readonly deletionStartedAt?: string;
  /** Set once the goodbye notice went out, so that a rerun does not send it twice. */
  readonly goodbyeSentAt?: string;
  /** Why the deletion workflow gave up (DELETION_FAILED), for the operator. */
  readonly deletionFailure?: { readonly error: string; readonly cause: string; readonly at: string };
  /** Optimistic lock: bumped by every profile change. */
  readonly version: number;
}

export type TokenPurpose = 'confirm-email' | 'reset-password' | 'email-change' | 'email-revoke';

interface TokenItem {
  readonly purpose: TokenPurpose;
  readonly userId: string;
  readonly expiresAt: number;
}

export interface NewToken {
  readonly hash: string;
  readonly expiresAt: number;
}

export interface NewUser {
  readonly userId: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly confirmToken: NewToken;
}

const tokenPut = (
  token: NewToken,
  userId: string,
  purpose: TokenPurpose = 'confirm-email',
): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.token(token.hash),
      type: 'token',
      purpose,
      userId,
      expiresAt: token.expiresAt,
    },
  },
});

/** A new profile item: UNCONFIRMED (in the cleanup's index) or ACTIVE (confirmed already). */
export function profileItem(user: {
  readonly userId: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly confirmTokenHash?: string;
  readonly confirmedAt?: string;
  readonly tier?: Tier;
  readonly creditCents?: number;
  /** A STANDARD signup's Stripe customer and card, made before the account. */
  readonly billing?: {
    readonly customerId: string;
    readonly paymentMethod: NonNullable<User['paymentMethod']>;
  };
}): User & Record<string, unknown> {
  const confirmed = user.confirmedAt !== undefined;
  return {
    ...keys.user(user.userId),
    ...(confirmed ? {} : unconfirmedIndexKey(user.userId, user.createdAt)),
    type: 'user',
    userId: user.userId,
    email: user.email,
    status: confirmed ? 'ACTIVE' : 'UNCONFIRMED',
    passwordHash: user.passwordHash,
    tier: user.tier ?? 'FREE',
    creditCents: user.creditCents ?? 0,
    mfaEnabled: false,
    pendingEmail: null,
    createdAt: user.createdAt,
    ...(confirmed ? { emailConfirmedAt: user.confirmedAt } : { confirmTokenHash: user.confirmTokenHash }),
    ...(user.billing
      ? { stripeCustomerId: user.billing.customerId, paymentMethod: user.billing.paymentMethod }
      : {}),
    version: 1,
  };
}

/** Spends a link: its token goes, only while it exists and is unexpired (the race guard). */
const spendLink = (tokenHash: string, now: number): TransactItem => ({
  Delete: {
    TableName: tableName(),
    Key: keys.token(tokenHash),
    ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
    ExpressionAttributeValues: { ':now': now },
  },
});

/** Gives up a user's claim on an address, only while it is still that user's. */
const releaseEmailClaim = (email: string, userId: string): TransactItem => ({
  Delete: {
    TableName: tableName(),
    Key: keys.email(email),
    ConditionExpression: 'userId = :userId',
    ExpressionAttributeValues: { ':userId': userId },
  },
});

/** Claims an address for a user; in a transaction, its condition is the uniqueness guard. */
export const emailClaimPut = (email: string, userId: string): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: { ...keys.email(email), type: 'email', userId },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * Creates an UNCONFIRMED account with its first confirmation link (and `alsoWrite`, e.g. its
 * audit event); EmailTakenError if the address is taken.
 */
export async function createUnconfirmedUser(user: NewUser, alsoWrite: TransactItem[] = []): Promise<void> {
  const profile = profileItem({ ...user, confirmTokenHash: user.confirmToken.hash });
  try {
    await transactWrite([
      emailClaimPut(user.email, user.userId),
      { Put: { TableName: tableName(), Item: profile, ConditionExpression: 'attribute_not_exists(pk)' } },
      tokenPut(user.confirmToken, user.userId),
      ...alsoWrite,
    ]);
  } catch (err) {
    if (conditionFailedAt(err, 0)) throw new EmailTakenError();
    throw err;
  }
}

export async function getUser(userId: string): Promise<User | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.user(userId), ConsistentRead: true }),
  );
  return Item as User | undefined;
}

// A user id no account has: an unknown address still costs the second read, so that login and
// resend take as long for unknown addresses as for known ones.
const NO_USER = 'no-such-user';

export async function getUserByEmail(normalizedEmail: string): Promise<User | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.email(normalizedEmail), ConsistentRead: true }),
  );
  return getUser(Item ? String(Item.userId) : NO_USER);
}

/** The token of a link, while it exists, serves `purpose` and has not expired. */
async function liveToken(tokenHash: string, purpose: TokenPurpose, now: number): Promise<TokenItem> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.token(tokenHash), ConsistentRead: true }),
  );
  const token = Item as TokenItem | undefined;
  if (token?.purpose !== purpose) throw new InvalidTokenError('token', INVALID_LINK);
  if (token.expiresAt <= now) {
    throw new InvalidTokenError('token', 'This link has expired. Request a new one.');
  }
  return token;
}

/**
 * Consumes a confirmation link: the token item goes and the profile turns ACTIVE in one
 * transaction, only while the token is unexpired and still the profile's current one.
 */
export async function confirmEmail(
  tokenHash: string,
  now: number,
  confirmedAt: string,
  alsoWrite: (userId: string) => TransactItem[] = () => [],
): Promise<User> {
  const token = await liveToken(tokenHash, 'confirm-email', now);
  try {
    await transactWrite([
      spendLink(tokenHash, now),
      {
        Update: {
          TableName: tableName(),
          Key: keys.user(token.userId),
          ConditionExpression: 'confirmTokenHash = :hash AND #status = :unconfirmed',
          UpdateExpression:
            'SET #status = :active, emailConfirmedAt = :at, version = version + :one REMOVE confirmTokenHash, gsi1pk, gsi1sk',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':hash': tokenHash,
            ':unconfirmed': 'UNCONFIRMED',
            ':active': 'ACTIVE',
            ':at': confirmedAt,
            ':one': 1,
          },
        },
      },
      ...alsoWrite(token.userId),
    ]);
  } catch (err) {
    if (isTransactionCanceled(err)) throw new InvalidTokenError('token', INVALID_LINK);
    throw err;
  }
  const user = await getUser(token.userId);
  if (!user) throw new InvalidTokenError('token', INVALID_LINK);
  return user;
}

/**
 * Gives an UNCONFIRMED user a new confirmation link; the old one dies with it. Returns false
 * when the user is no longer UNCONFIRMED (confirmed meanwhile): nothing is written then.
 */
export async function replaceConfirmToken(user: User, next: NewToken): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        ConditionExpression: '#status = :unconfirmed',
        UpdateExpression: 'SET confirmTokenHash = :hash, version = version + :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':unconfirmed': 'UNCONFIRMED', ':hash': next.hash, ':one': 1 },
      },
    },
    tokenPut(next, user.userId),
  ];
  if (user.confirmTokenHash) {
    items.push({ Delete: { TableName: tableName(), Key: keys.token(user.confirmTokenHash) } });
  }
  try {
    await transactWrite(items);
    return true;
  } catch (err) {
    if (conditionFailedAt(err, 0)) return false;
    throw err;
  }
}

/** Stores a rehashed password, only if the hash it replaces is still the current one. */
export const replacePasswordHash = (userId: string, oldHash: string, newHash: string): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.user(userId),
    ConditionExpression: 'passwordHash = :old',
    UpdateExpression: 'SET passwordHash = :new, version = version + :one',
    ExpressionAttributeValues: { ':old': oldHash, ':new': newHash, ':one': 1 },
  });

/** An UNCONFIRMED account the cleanup may remove, as the sparse index shows it. */
export interface StaleCandidate {
  readonly userId: string;
  readonly email: string;
  readonly createdAt: string;
  readonly confirmTokenHash?: string;
}

/** Pages of UNCONFIRMED accounts of one index shard created before `cutoff` (ISO time), oldest first. */
export async function* staleUnconfirmed(
  shard: number,
  cutoff: string,
  pageSize = 100,
): AsyncGenerator<StaleCandidate[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: TABLE_SCHEMA.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk < :cutoff',
        ExpressionAttributeValues: { ':shard': unconfirmedShard(shard), ':cutoff': cutoff },
        Limit: pageSize,
        ExclusiveStartKey: start,
      }),
    );
    const items = (page.Items ?? []).map((item) => ({
      userId: userIdOf(String(item.pk)),
      email: String(item.email),
      createdAt: String(item.gsi1sk),
      confirmTokenHash: item.confirmTokenHash === undefined ? undefined : String(item.confirmTokenHash),
    }));
    if (items.length > 0) yield items;
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Removes a never-confirmed account: profile, email claim and confirmation token together, only
 * while it is still UNCONFIRMED and older than `cutoff`. False when it was confirmed meanwhile or
 * is gone already (a second run, a duplicate invocation): then nothing is written.
 */
export async function deleteUnconfirmedUser(candidate: StaleCandidate, cutoff: string): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Delete: {
        TableName: tableName(),
        Key: keys.user(candidate.userId),
        ConditionExpression: '#status = :unconfirmed AND createdAt < :cutoff',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':unconfirmed': 'UNCONFIRMED', ':cutoff': cutoff },
      },
    },
    releaseEmailClaim(candidate.email, candidate.userId),
  ];
  if (candidate.confirmTokenHash) {
    items.push({ Delete: { TableName: tableName(), Key: keys.token(candidate.confirmTokenHash) } });
  }
  try {
    await transactWrite(items);
    return true;
  } catch (err) {
    if (conditionFailedAt(err, 0) || conditionFailedAt(err, 1)) return false;
    throw err;
  }
}

/**
 * Gives the account a new reset link (the older one dies), only while it is ACTIVE or UNCONFIRMED.
 * False when it is not by the time of the write (a deletion was requested meanwhile): no link.
 */
export async function replaceResetToken(user: User, next: NewToken): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        ConditionExpression: '#status IN (:active, :unconfirmed)',
        UpdateExpression: 'SET resetTokenHash = :hash, version = version + :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':hash': next.hash,
          ':one': 1,
          ':active': 'ACTIVE',
          ':unconfirmed': 'UNCONFIRMED',
        },
      },
    },
    tokenPut(next, user.userId, 'reset-password'),
  ];
  if (user.resetTokenHash)
    items.push({ Delete: { TableName: tableName(), Key: keys.token(user.resetTokenHash) } });
  try {
    await transactWrite(items);
    return true;
  } catch (err) {
    if (conditionFailedAt(err, 0)) return false;
    throw err;
  }
}

/**
 * The account a live reset link belongs to (its newest link only), while it is ACTIVE or
 * UNCONFIRMED: a link mailed before a deletion was requested sets nothing on an account going.
 */
export async function userOfResetToken(tokenHash: string, now: number): Promise<User> {
  const token = await liveToken(tokenHash, 'reset-password', now);
  const user = await getUser(token.userId);
  if (user?.resetTokenHash !== tokenHash || (user.status !== 'ACTIVE' && user.status !== 'UNCONFIRMED')) {
    throw new InvalidTokenError('token', INVALID_LINK);
  }
  return user;
}

/**
 * Sets the password with a reset link, which is spent, in one transaction. The link proves the
 * mailbox, so an account still UNCONFIRMED is confirmed too: whoever started a signup with
 * someone else's address loses it to the address's owner.
 */
export async function resetPasswordWithToken(
  user: User,
  tokenHash: string,
  passwordHash: string,
  now: number,
  alsoWrite: TransactItem[] = [],
): Promise<void> {
  const confirming = user.status === 'UNCONFIRMED';
  const items: TransactItem[] = [
    spendLink(tokenHash, now),
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        ConditionExpression: 'resetTokenHash = :hash AND #status = :status',
        UpdateExpression: confirming
          ? 'SET passwordHash = :password, #status = :active, emailConfirmedAt = :at, version = version + :one REMOVE resetTokenHash, confirmTokenHash, gsi1pk, gsi1sk'
          : 'SET passwordHash = :password, version = version + :one REMOVE resetTokenHash',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':hash': tokenHash,
          ':status': user.status,
          ':password': passwordHash,
          ':one': 1,
          ...(confirming ? { ':active': 'ACTIVE', ':at': new Date(now * 1000).toISOString() } : {}),
        },
      },
    },
    ...alsoWrite,
  ];
  if (confirming && user.confirmTokenHash) {
    items.push({ Delete: { TableName: tableName(), Key: keys.token(user.confirmTokenHash) } });
  }
  try {
    await transactWrite(items);
  } catch (err) {
    if (isTransactionCanceled(err)) throw new InvalidTokenError('token', INVALID_LINK);
    throw err;
  }
}

/**
 * Until when the last confirmed change of address may still be undone from the old address (its
 * revoke link's expiry), or undefined. A new change would replace that link, so it waits: else
 * whoever took the account could kill the owner's way back by starting another change.
 */
export async function undoableChangeUntil(user: User, now: number): Promise<number | undefined> {
  // While a change is pending, its own undo link is the one on the profile: a newer request may
  // replace it (the confirmed change before it can no longer be undone by then).
  if (!user.previousEmail || !user.emailRevokeTokenHash || user.pendingEmail) return undefined;
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.token(user.emailRevokeTokenHash),
      ConsistentRead: true,
    }),
  );
  const token = Item as TokenItem | undefined;
  if (token?.purpose !== 'email-revoke' || token.expiresAt <= now) return undefined;
  // An undo that can never succeed holds nothing back: another confirmed account has the old
  // address (an unconfirmed signup there does not count: the undo takes the address back).
  const holder = await getUserByEmail(user.previousEmail);
  if (holder && holder.userId !== user.userId && holder.status !== 'UNCONFIRMED') return undefined;
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
export async function startEmailChange(user: User, next: string, tokens: EmailChangeTokens): Promise<void> {
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
    if (old) items.push({ Delete: { TableName: tableName(), Key: keys.token(old) } });
  }
  try {
    await transactWrite(items);
  } catch (err) {
    if (conditionFailedAt(err, 0)) throw new ConflictError('The account changed meanwhile. Try again.');
    throw err;
  }
}

/** The account of a live link of `purpose`, which must still be that account's current one. */
export async function userOfLink(
  tokenHash: string,
  purpose: 'email-change' | 'email-revoke',
  now: number,
): Promise<User> {
  const token = await liveToken(tokenHash, purpose, now);
  const user = await getUser(token.userId);
  const current =
    purpose === 'email-change'
      ? [user?.emailChangeTokenHash]
      : [user?.emailRevokeTokenHash, user?.emailFirstRevokeTokenHash];
  if (!user || !current.includes(tokenHash)) throw new InvalidTokenError('token', INVALID_LINK);
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
  user: User,
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
  ];
  try {
    await transactWrite(items);
    return 'switched';
  } catch (err) {
    if (conditionFailedAt(err, 0)) return 'taken';
    if (isTransactionCanceled(err)) throw new InvalidTokenError('token', INVALID_LINK);
    throw err;
  }
}

export type RevokeResult = 'cancelled' | 'restored' | 'old-address-taken';

/**
 * Uses a revoke link: before confirmation it cancels the pending change; after, it moves the
 * account back to the old address (if that is still free). Either way the link is spent.
 */
export async function revokeEmailChange(user: User, tokenHash: string, now: number): Promise<RevokeResult> {
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
    if (user.emailChangeTokenHash)
      items.push({ Delete: { TableName: tableName(), Key: keys.token(user.emailChangeTokenHash) } });
    try {
      await transactWrite(items);
      return 'cancelled';
    } catch (err) {
      if (isTransactionCanceled(err)) throw new InvalidTokenError('token', INVALID_LINK);
      throw err;
    }
  }
  const previous = user.previousEmail;
  if (!previous) throw new InvalidTokenError('token', INVALID_LINK);
  // The other revoke link of the change goes with this one.
  const other = [user.emailRevokeTokenHash, user.emailFirstRevokeTokenHash].find(
    (hash) => hash !== undefined && hash !== tokenHash,
  );
  try {
    await transactWrite([
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
            ':active': 'ACTIVE',
            ':one': 1,
          },
        },
      },
      ...(other ? [{ Delete: { TableName: tableName(), Key: keys.token(other) } }] : []),
    ]);
    return 'restored';
  } catch (err) {
    if (conditionFailedAt(err, 0)) return 'old-address-taken';
    if (isTransactionCanceled(err)) throw new InvalidTokenError('token', INVALID_LINK);
    throw err;
  }
}

/**
 * A guard for the transaction that hands out a key: the account's MFA setting is still the one the
 * login checked (a key minted as MFA goes on never skips it), it is still ACTIVE, and `also` holds (e.g. the address a
 * Google link was proven for). The profile can appear once per transaction: put every check here.
 */
export function profileCheck(
  user: Pick<User, 'userId' | 'mfaEnabled'>,
  also?: { readonly email: string },
): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.user(user.userId),
      // ACTIVE: no key is minted for an account that a deletion request has just marked.
      ConditionExpression: also
        ? 'mfaEnabled = :mfa AND #status = :active AND email = :email'
        : 'mfaEnabled = :mfa AND #status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':mfa': user.mfaEnabled,
        ':active': 'ACTIVE',
        ...(also ? { ':email': also.email } : {}),
      },
    },
  };
}
