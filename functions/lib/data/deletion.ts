// Account deletion: the request marks the profile DELETING, the workflow (functions/workflows/)
// removes everything the account owns and leaves a tombstone. The profile carries the deletion's
// state from start to end, so the workflow's own state holds only the account id: no address ever
// lands in Step Functions' execution history. Every function here can run again after a crash at
// any point and finish the job.
import { type Account, isDeleting, STATUS } from '#domain/account.ts';
import { NotThisDeletionError } from '#domain/errors.ts';
import { digest } from '#domain/tokens.ts';
import {
  conditionFailedAt,
  isConditionFailed,
  type TransactItem,
  tableName,
  transactOutcome,
  transactWrite,
  updateIf,
  writeBatch,
} from './client.ts';
import { deleteItem, getItem, queryItems } from './document.ts';
import { AUDIT_RETENTION_SECONDS } from './events.ts';
import { ATTEMPT_SCOPES, type Key, keys } from './keys.ts';
import { MAIL_PURPOSES } from './mail-rate.ts';
import { outboxPut } from './outbox.ts';
import { getUser } from './profiles.ts';

export type MarkResult =
  | { readonly marked: true }
  /** Another request marked it first: its execution is the one to (re)start. */
  | { readonly marked: false; readonly execution: string }
  | { readonly marked: false; readonly execution?: undefined };

/**
 * ACTIVE → DELETING, with the name of the execution that will delete it (and `alsoWrite`, its audit
 * event), only while the profile is as the request read it. When a parallel request won, returns
 * that request's execution, so both start the same one.
 */
export async function markDeleting(
  user: Account,
  execution: string,
  at: string,
  alsoWrite: TransactItem[] = [],
): Promise<MarkResult> {
  try {
    await transactWrite([
      {
        Update: {
          TableName: tableName(),
          Key: keys.user(user.userId),
          ConditionExpression: '#status = :active AND version = :version',
          UpdateExpression:
            'SET #status = :deleting, deletionExecution = :execution, deletionRequestedAt = :at, version = version + :one',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':active': STATUS.active,
            ':version': user.version,
            ':deleting': STATUS.deleting,
            ':execution': execution,
            ':at': at,
            ':one': 1,
          },
        },
      },
      ...alsoWrite,
    ]);
    return { marked: true };
  } catch (err) {
    if (!conditionFailedAt(err, 0)) throw err;
    const now = await getUser(user.userId);
    return isDeleting(now) && now?.deletionExecution
      ? { marked: false, execution: now.deletionExecution }
      : { marked: false };
  }
}

/**
 * DELETING → ACTIVE when the workflow could not be started: only while its first step has not
 * claimed the deletion. False when it has (the deletion goes on) or the account changed.
 */
export const withdrawDeletion = (userId: string, execution: string): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.user(userId),
    ConditionExpression:
      '#status = :deleting AND deletionExecution = :execution AND attribute_not_exists(deletionStartedAt)',
    UpdateExpression:
      'SET #status = :active, version = version + :one REMOVE deletionExecution, deletionRequestedAt',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':deleting': STATUS.deleting,
      ':execution': execution,
      ':active': STATUS.active,
      ':one': 1,
    },
  });

/** A deletion requested this long ago that no workflow has claimed never started (a crash). */
export const NEVER_STARTED_AFTER_SECONDS = 15 * 60;

/**
 * Operator's retry: DELETING again under a new execution's name, for an account DELETION_FAILED,
 * or DELETING but never claimed by a workflow long after the request (its start was lost).
 */
export const retryDeletion = (userId: string, execution: string, at: string): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.user(userId),
    ConditionExpression:
      '#status = :failed OR (#status = :deleting AND attribute_not_exists(deletionStartedAt) AND deletionRequestedAt < :stale)',
    UpdateExpression:
      'SET #status = :deleting, deletionExecution = :execution, deletionStartedAt = :at, version = version + :one REMOVE deletionFailure',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':failed': STATUS.deletionFailed,
      ':deleting': STATUS.deleting,
      ':execution': execution,
      ':at': at,
      ':stale': new Date(Date.parse(at) - NEVER_STARTED_AFTER_SECONDS * 1000).toISOString(),
      ':one': 1,
    },
  });

export type Claim = 'deleting' | 'withdrawn' | 'gone';

/** An update of the profile only while it is DELETING under `execution` (this run's own). */
const updateOwnDeletion = (
  userId: string,
  execution: string,
  update: string,
  values: Record<string, unknown>,
): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.user(userId),
    ConditionExpression: '#status = :deleting AND deletionExecution = :execution',
    UpdateExpression: update,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':deleting': STATUS.deleting, ':execution': execution, ...values },
  });

/**
 * The workflow's first move: the deletion named `execution` is claimed (from then on it cannot
 * be withdrawn). 'withdrawn': the request was withdrawn, or another deletion owns the account;
 * 'gone': a rerun after the profile went, so every later step has nothing left to do. `announce`:
 * the first claim tells the platform (account.deletion_requested); off when the workflow waits
 * for the platform's cleanup, whose request tells it instead (`requestPlatformCleanup`).
 */
export async function claimDeletion(
  userId: string,
  execution: string,
  at: string,
  announce = true,
): Promise<Claim> {
  // Told once per account, by a marker of its own: an operator's retry sets deletionStartedAt, and
  // a deletion retried before any claim landed must still be told. A rerun tells nobody again.
  const told =
    announce &&
    (await transactOutcome(
      [
        {
          Update: {
            TableName: tableName(),
            Key: keys.user(userId),
            ConditionExpression:
              '#status = :deleting AND deletionExecution = :execution AND attribute_not_exists(deletionAnnouncedAt)',
            UpdateExpression:
              'SET deletionStartedAt = if_not_exists(deletionStartedAt, :at), deletionAnnouncedAt = :at',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':deleting': STATUS.deleting, ':execution': execution, ':at': at },
          },
        },
        outboxPut(userId, 'account.deletion_requested', {}, Date.parse(at) / 1000),
      ],
      true,
      (failedAt) => (failedAt(0) ? false : undefined),
    ));
  if (told) return 'deleting';
  const claimed = await updateOwnDeletion(
    userId,
    execution,
    'SET deletionStartedAt = if_not_exists(deletionStartedAt, :at)',
    { ':at': at },
  );
  if (claimed) return 'deleting';
  return (await getUser(userId)) ? 'withdrawn' : 'gone';
}

/**
 * Asks the platform to clean up after the account (account.deletion_requested with the waiting
 * task's token and its deadline), while this execution is deleting it. Once per token: a Lambda
 * retry with the same token finds it asked ('asked'); the profile keeps the token's digest.
 */
export async function requestPlatformCleanup(
  userId: string,
  execution: string,
  taskToken: string,
  deadline: string,
  now: number,
): Promise<'asked' | 'not-deleting'> {
  const tokenHash = digest(taskToken);
  const asked = await transactOutcome(
    [
      {
        Update: {
          TableName: tableName(),
          Key: keys.user(userId),
          ConditionExpression:
            '#status = :deleting AND deletionExecution = :execution AND (attribute_not_exists(platformCleanupTokenHash) OR platformCleanupTokenHash <> :hash)',
          UpdateExpression: 'SET platformCleanupTokenHash = :hash, platformCleanupRequestedAt = :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':deleting': STATUS.deleting,
            ':execution': execution,
            ':hash': tokenHash,
            ':at': new Date(now * 1000).toISOString(),
          },
        },
      },
      outboxPut(userId, 'account.deletion_requested', { taskToken, deadline }, now),
    ],
    true,
    (failedAt) => (failedAt(0) ? false : undefined),
  );
  if (asked) return 'asked';
  const user = await getUser(userId);
  return user?.platformCleanupTokenHash === tokenHash ? 'asked' : 'not-deleting';
}

/**
 * The profile of the account this execution is deleting; undefined once it is gone (a rerun after
 * the end). Any other state stops the step: only the execution named on the profile may go on.
 */
export async function deletingUser(userId: string, execution: string): Promise<Account | undefined> {
  const user = await getUser(userId);
  if (!user) return undefined;
  if (!isDeleting(user) || user.deletionExecution !== execution) {
    throw new NotThisDeletionError(`account ${userId} is ${user.status}, not being deleted by ${execution}`);
  }
  return user;
}

/** Deletes the items (each once), 25 a request, until DynamoDB has processed every one. */
const batchDelete = (items: readonly Key[]): Promise<void> =>
  writeBatch(
    [...new Map(items.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()].map((Key) => ({
      DeleteRequest: { Key },
    })),
  );

const addressesOf = (user: Account): string[] =>
  [user.email, user.pendingEmail, user.previousEmail].filter((a): a is string => Boolean(a));

/**
 * Items outside the account's partition that the profile names: its link tokens, its Stripe
 * customer lookup, and the counters kept per address or per user (which hold the address in
 * their key). Deleting one that is already gone is no error. The login counters, one per source
 * that ever tried the address, are paged through apart (loginCountersOf).
 */
function lookupsNamedBy(user: Account): Key[] {
  const tokens = [
    user.confirmTokenHash,
    user.resetTokenHash,
    user.emailChangeTokenHash,
    user.emailRevokeTokenHash,
    user.emailFirstRevokeTokenHash,
  ]
    .filter((hash): hash is string => Boolean(hash))
    .map((hash) => keys.token(hash));
  return [
    ...tokens,
    ...(user.stripeCustomerId ? [keys.stripeCustomer(user.stripeCustomerId)] : []),
    keys.attempts(ATTEMPT_SCOPES.mfaFailures, user.userId),
    ...addressesOf(user).flatMap((address) =>
      MAIL_PURPOSES.map((purpose) => keys.mailRate(purpose, address)),
    ),
  ];
}

/**
 * Up to `limit` items of each address's login partition (its count, and one counter and one
 * marker per source): strangers can make many, so they are paged like the account's own items.
 */
async function loginCountersOf(user: Account, limit: number): Promise<{ keys: Key[]; more: boolean }> {
  const pages = await Promise.all(
    addressesOf(user).map((address) =>
      queryItems({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.attempts(ATTEMPT_SCOPES.login, address).pk },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
        Limit: limit,
      }),
    ),
  );
  return {
    keys: pages.flatMap((p) => (p.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk) }))),
    more: pages.some((p) => p.LastEvaluatedKey !== undefined),
  };
}

/**
 * Up to `limit` of the account's outbox items (data/outbox.ts): the stream delivers each from its
 * own image, so one purged before it was published still goes out. The event counter stays, with
 * no address in it, to number account.deleted; it expires a week after that.
 */
async function outboxOf(userId: string, limit: number): Promise<{ keys: Key[]; more: boolean }> {
  const page = await queryItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :out)',
    ExpressionAttributeValues: { ':pk': keys.eventSequence(userId).pk, ':out': 'OUT#' },
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
    Limit: limit,
  });
  return {
    keys: (page.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk) })),
    more: page.LastEvaluatedKey !== undefined,
  };
}

/** The lookup an item of the account's partition mirrors (API key, identity), if any. */
function lookupOf(item: Record<string, unknown>): Key | undefined {
  const sk = String(item.sk);
  // A key that carries its address (lookup: false) has no lookup by digest.
  if (sk.startsWith('APIKEY#') && typeof item.keyHash === 'string')
    return item.lookup === false ? undefined : keys.apiKey(item.keyHash);
  if (sk.startsWith('IDENTITY#') && typeof item.provider === 'string' && typeof item.subject === 'string')
    return keys.identity(item.provider, item.subject);
  if (sk.startsWith('SSHKEY#') && typeof item.fingerprint === 'string') return keys.sshKey(item.fingerprint);
  return undefined;
}

export const PURGE_PAGE_SIZE = 100;

async function alsoOwned(user: Account, limit: number): Promise<{ keys: Key[]; more: boolean }> {
  const [counters, outbox] = await Promise.all([loginCountersOf(user, limit), outboxOf(user.userId, limit)]);
  return { keys: [...counters.keys, ...outbox.keys], more: counters.more || outbox.more };
}

/**
 * One page of the purge: up to `pageSize` items of the account's partition (all but the profile)
 * go, with the lookups they mirror; the last page also takes the lookups the profile names (once,
 * not with every page). Each page starts from the top of what is left, so a rerun after a crash
 * simply carries on. `more`: another page may be left.
 */
export async function purgePage(
  userId: string,
  execution: string,
  pageSize = PURGE_PAGE_SIZE,
): Promise<{ deleted: number; more: boolean }> {
  const user = await deletingUser(userId, execution);
  if (!user) return { deleted: 0, more: false };
  const page = await queryItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.user(userId).pk },
    ProjectionExpression: 'pk, sk, keyHash, provider, subject, fingerprint',
    ConsistentRead: true,
    Limit: pageSize,
  });
  // The profile stays to the end: the later steps read the address from it.
  const items = (page.Items ?? []).filter((item) => item.sk !== keys.user(userId).sk);
  const more = page.LastEvaluatedKey !== undefined;
  // Once the account's own items are gone, the login counters of its addresses and its outbox
  // items, a page a turn.
  const counters = more ? { keys: [], more: false } : await alsoOwned(user, pageSize);
  // Lookups first, all of them, before any mirror: a lookup whose mirror is gone (a run that died
  // half way) could never be found again.
  await batchDelete([
    ...items.flatMap((item) => lookupOf(item) ?? []),
    ...(more || counters.more ? [] : lookupsNamedBy(user)),
    ...counters.keys,
  ]);
  await batchDelete(items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) })));
  return { deleted: items.length + counters.keys.length, more: more || counters.more };
}

/**
 * Gives up the account's address, only while the claim is still this account's (someone may have
 * signed up with it since a first run released it).
 */
export async function releaseEmail(userId: string, execution: string): Promise<'released' | 'not-held'> {
  const user = await deletingUser(userId, execution);
  if (!user) return 'not-held';
  try {
    await deleteItem({
      TableName: tableName(),
      Key: keys.email(user.email),
      ConditionExpression: 'userId = :userId',
      ExpressionAttributeValues: { ':userId': userId },
    });
    return 'released';
  } catch (err) {
    if (isConditionFailed(err)) return 'not-held';
    throw err;
  }
}

/** Notes that the goodbye went out, so that a rerun does not send it again. */
export const markGoodbyeSent = (userId: string, execution: string, at: string): Promise<boolean> =>
  updateOwnDeletion(userId, execution, 'SET goodbyeSentAt = :at', { ':at': at });

export interface Tombstone {
  readonly userId: string;
  readonly deletedAt: string;
  readonly requestedAt?: string;
  /** SHA-256 of the normalized address: answers "was this address's account deleted?", no more. */
  readonly emailHash: string;
  readonly expiresAt: number;
}

/**
 * The end: whatever reached the partition since the purge goes too, then the profile is deleted
 * and the tombstone written in one transaction. 'gone': a rerun, the profile went already.
 */
export async function buryAccount(
  userId: string,
  execution: string,
  now: number,
): Promise<'buried' | 'gone'> {
  for (let more = true; more; ) ({ more } = await purgePage(userId, execution));
  const user = await deletingUser(userId, execution);
  if (!user) return 'gone';
  const tombstone: Tombstone = {
    userId,
    deletedAt: new Date(now * 1000).toISOString(),
    requestedAt: user.deletionRequestedAt,
    emailHash: digest(user.email),
    expiresAt: now + AUDIT_RETENTION_SECONDS,
  };
  try {
    await transactWrite([
      {
        Delete: {
          TableName: tableName(),
          Key: keys.user(userId),
          // Still ours, and no Stripe customer recorded since billing was cancelled (it would be
          // lost at Stripe): then this fails, the account is DELETION_FAILED, and a retry cancels it.
          ConditionExpression:
            '#status = :deleting AND deletionExecution = :execution AND attribute_not_exists(stripeCustomerId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':deleting': STATUS.deleting, ':execution': execution },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.tombstone(userId), type: 'tombstone', ...tombstone },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      outboxPut(userId, 'account.deleted', {}, now),
    ]);
    return 'buried';
  } catch (err) {
    if (conditionFailedAt(err, 0) && !(await getUser(userId))) return 'gone';
    if (conditionFailedAt(err, 0))
      throw new NotThisDeletionError(`account ${userId} changed during its deletion`);
    throw err;
  }
}

export async function getTombstone(userId: string): Promise<Tombstone | undefined> {
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.tombstone(userId),
    ConsistentRead: true,
  });
  return Item as Tombstone | undefined;
}

/** The workflow gave up: DELETION_FAILED, with what failed, for the operator (docs/operations.md). */
export const markDeletionFailed = (
  userId: string,
  execution: string,
  failure: { readonly error: string; readonly cause: string },
  at: string,
): Promise<boolean> =>
  // Only the execution that owns the deletion: a stale one must not fail a retry under way.
  updateOwnDeletion(
    userId,
    execution,
    'SET #status = :failed, deletionFailure = :failure, version = version + :one',
    {
      ':failed': STATUS.deletionFailed,
      ':failure': { ...failure, at },
      ':one': 1,
    },
  );
