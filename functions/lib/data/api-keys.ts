import { timingSafeEqual } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '#domain/account.ts';
import type { KeyAddress } from '#domain/api-keys.ts';
import {
  db,
  getTogether,
  isConditionFailed,
  isTransactionCanceled,
  putAlone,
  type TransactItem,
  tableName,
  transactIf,
  transactOutcome,
  transactWrite,
  writeBatch,
} from './client.ts';
import { keys } from './keys.ts';
import { accountOf } from './profiles.ts';

export interface ApiKeyRecord {
  readonly userId: string;
  readonly keyId: string;
  readonly keyHash: string;
  /** Epoch seconds of the last recorded use (recorded at most hourly). */
  readonly lastUsedAt?: number;
  /** The second factor the login that minted this key passed, if any. */
  readonly secondFactor?: KeySecondFactor;
  /**
   * A legacy key has a lookup item by digest beside the one under its account; a key that carries
   * its address has only the one under its account.
   */
  readonly lookup: boolean;
}

/**
 * When the login that minted a key passed the second factor, and how: after the password, after
 * Google, or after Google with the code typed on the callback page (whose terminal may be someone
 * else's, sent the link).
 */
export interface KeySecondFactor {
  readonly at: number;
  readonly after: 'password' | 'google' | 'google-page';
}

/** A key as its owner may see it: never its material. */
export interface ApiKeyListing {
  readonly keyId: string;
  readonly keyHash: string;
  readonly createdAt: string;
  readonly lastUsedAt?: number;
  readonly userAgent?: string;
  /** Whether a lookup item by digest goes with it (legacy keys). */
  readonly lookup: boolean;
}

/** Keys an account may hold; minting one more revokes the oldest. */
export const MAX_KEYS_PER_ACCOUNT = 50;
/** A key's use is written at most this often, so that authenticated reads stay reads. */
export const LAST_USED_RESOLUTION_SECONDS = 3600;

export interface NewApiKeyRecord {
  readonly userId: string;
  readonly id: string;
  readonly hash: string;
  /** The key carries its address: one item, under the account, no lookup by digest. */
  readonly addressed: boolean;
  readonly createdAt: string;
  readonly userAgent?: string;
  /** The second factor the login that mints it passed (a recent one stands for a fresh code). */
  readonly secondFactor?: KeySecondFactor;
}

/**
 * The stored record of a freshly minted key. Its creation time has milliseconds: the 50-key cap
 * revokes the oldest, so keys made within one second must still sort.
 */
export const newKeyRecord = (
  userId: string,
  key: { readonly id: string; readonly hash: string; readonly addressed: boolean },
  /** The request's reading to the millisecond (RequestTime.at): it orders the keys. */
  createdAt: string,
  userAgent?: string,
  secondFactor?: KeySecondFactor,
): NewApiKeyRecord => ({
  userId,
  id: key.id,
  hash: key.hash,
  addressed: key.addressed,
  createdAt,
  userAgent,
  secondFactor,
});

const secondFactorAttributes = (factor: KeySecondFactor | undefined) =>
  factor === undefined ? {} : { secondFactorAt: factor.at, secondFactorAfter: factor.after };

/**
 * The items of a new key: the one under its account (listed, revoked, purged with it), and for a
 * legacy key the lookup by digest that requests resolve it with (never overwritten).
 */
export function apiKeyPuts(key: NewApiKeyRecord): TransactItem[] {
  const common = { userId: key.userId, keyId: key.id, createdAt: key.createdAt };
  const underAccount: TransactItem = {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.userApiKey(key.userId, key.id),
        type: 'userApiKey',
        ...common,
        keyHash: key.hash,
        userAgent: key.userAgent?.slice(0, 256),
        // Read on every request with the profile: the key's factor without a second read.
        ...(key.addressed ? { lookup: false, ...secondFactorAttributes(key.secondFactor) } : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  if (key.addressed) return [underAccount];
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.apiKey(key.hash),
          type: 'apiKey',
          ...common,
          ...secondFactorAttributes(key.secondFactor),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    underAccount,
  ];
}

/**
 * Stores a new key with `alsoWrite` (its guards, its audit events) in one transaction. False when
 * a guard failed or the transaction lost a race: nothing was written.
 */
export const storeApiKey = (key: NewApiKeyRecord, alsoWrite: TransactItem[] = []): Promise<boolean> =>
  transactIf([...apiKeyPuts(key), ...alsoWrite]);

function recordOf(item: Record<string, unknown>, keyHash: string, lookup: boolean): ApiKeyRecord {
  return {
    userId: String(item.userId),
    keyId: String(item.keyId),
    keyHash,
    lookup,
    lastUsedAt: item.lastUsedAt === undefined ? undefined : Number(item.lastUsedAt),
    secondFactor:
      item.secondFactorAt === undefined
        ? undefined
        : {
            at: Number(item.secondFactorAt),
            // Unknown (an older record): the weakest.
            after:
              item.secondFactorAfter === 'password' || item.secondFactorAfter === 'google'
                ? item.secondFactorAfter
                : 'google-page',
          },
  };
}

/**
 * Stores a new key and `alsoPut` (its audit events) without a transaction: one BatchWriteItem at 1
 * write unit an item where a transaction costs 2. For a login, whose guard is checked again after
 * the write (login.ts): a key nobody has been handed is inert, so the write need not be atomic
 * with anything.
 */
export const writeApiKey = (key: NewApiKeyRecord, alsoPut: TransactItem[] = []): Promise<void> =>
  writeBatch(
    [...apiKeyPuts(key), ...alsoPut].map((item) => {
      if (!item.Put?.Item) throw new Error('writeApiKey writes puts only');
      return { PutRequest: { Item: item.Put.Item } };
    }),
  );

/** Resolves a legacy key's digest. Consistent read: a revoked key must fail on the very next request. */
export async function findApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.apiKey(keyHash), ConsistentRead: true }),
  );
  return Item ? recordOf(Item, keyHash, true) : undefined;
}

const sameDigest = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The key an addressed key names and its account, read together in one round trip (consistent,
 * so a revoked key fails on the very next request). Undefined unless the key is there and its
 * stored digest is this key's: the address is public, only the digest proves the key.
 */
export async function findAddressedKey(
  address: KeyAddress,
  keyHash: string,
): Promise<{ record: ApiKeyRecord; user: Account | undefined } | undefined> {
  const [item, profile] = await getTogether([
    keys.userApiKey(address.userId, address.keyId),
    keys.user(address.userId),
  ]);
  if (!item || typeof item.keyHash !== 'string' || !sameDigest(item.keyHash, keyHash)) return undefined;
  return { record: recordOf(item, keyHash, item.lookup !== false), user: profile && accountOf(profile) };
}

/** An account's keys, oldest first. */
export async function listApiKeys(userId: string): Promise<ApiKeyListing[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :keys)',
      ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':keys': 'APIKEY#' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? [])
    .map((item) => ({
      keyId: String(item.keyId),
      keyHash: String(item.keyHash),
      createdAt: String(item.createdAt),
      lastUsedAt: item.lastUsedAt === undefined ? undefined : Number(item.lastUsedAt),
      userAgent: item.userAgent === undefined ? undefined : String(item.userAgent),
      lookup: item.lookup !== false,
    }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The deletes that revoke a key; the first fails when the key is gone already. */
const revokeItems = (
  userId: string,
  key: { keyId: string; keyHash: string; lookup: boolean },
): TransactItem[] => [
  {
    Delete: {
      TableName: tableName(),
      Key: keys.userApiKey(userId, key.keyId),
      ConditionExpression: 'attribute_exists(pk)',
    },
  },
  ...(key.lookup ? [{ Delete: { TableName: tableName(), Key: keys.apiKey(key.keyHash) } }] : []),
];

/** Revokes one key of the account; false when it has no such key. Takes effect on the next request. */
export async function revokeApiKey(userId: string, keyId: string): Promise<boolean> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.userApiKey(userId, keyId), ConsistentRead: true }),
  );
  if (!Item) return false;
  return revokeOne(userId, { keyId, keyHash: String(Item.keyHash), lookup: Item.lookup !== false });
}

/** Revokes a key known from a listing or a request, with `alsoWrite`; false when it went meanwhile. */
const revokeOne = (
  userId: string,
  key: { keyId: string; keyHash: string; lookup: boolean },
  alsoWrite: TransactItem[] = [],
): Promise<boolean> =>
  transactOutcome([...revokeItems(userId, key), ...alsoWrite], true, (failedAt) =>
    failedAt(0) ? false : undefined,
  );

/**
 * Revokes the key a request authenticated with, and writes `alsoWrite` (its audit event) with it;
 * false when it was revoked meanwhile (nothing written). No read first: the request has the key.
 */
export const revokeKey = (record: ApiKeyRecord, alsoWrite: TransactItem[] = []): Promise<boolean> =>
  revokeOne(record.userId, record, alsoWrite);

/**
 * Revokes every key of the account but `keepKeyId`, and writes `record(count)` (the audit event of
 * the revocation) in the same transaction when the keys fit in one (25 or fewer, as almost always).
 * Each key goes whole (its items in one transaction); more keys go 25 to a transaction, and a key
 * revoked meanwhile is simply skipped, so running it again after a failure finishes the job.
 */
export async function revokeOtherApiKeys(
  userId: string,
  keepKeyId?: string,
  /** A listing the caller read already (at the same time as its change, not before it). */
  listed?: readonly ApiKeyListing[],
  record?: (count: number) => TransactItem,
): Promise<number> {
  const doomed = (listed ?? (await listApiKeys(userId))).filter((k) => k.keyId !== keepKeyId);
  // The record rides in the one transaction when there is one; otherwise it is written after.
  const together = record && doomed.length <= 25 ? record : undefined;
  let revoked = 0;
  let recorded = false;
  for (let i = 0; i < doomed.length; i += 25) {
    const batch = doomed.slice(i, i + 25);
    try {
      await transactWrite([
        ...batch.flatMap((key) => revokeItems(userId, key)),
        ...(together ? [together(batch.length)] : []),
      ]);
      revoked += batch.length;
      recorded = together !== undefined;
    } catch (err) {
      if (!isTransactionCanceled(err)) throw err;
      // One of them went meanwhile: one at a time, skipping what is gone.
      for (const key of batch) if (await revokeOne(userId, key)) revoked++;
    }
  }
  if (record && !recorded) await putAlone(record(revoked));
  return revoked;
}

/**
 * Revokes the oldest keys beyond MAX_KEYS_PER_ACCOUNT, `newest` included in the count: `listed`,
 * when given, is a listing read while `newest` was being written (it may or may not hold it).
 */
export async function enforceKeyLimit(
  userId: string,
  newest: string,
  listed?: readonly ApiKeyListing[],
): Promise<void> {
  const others = (listed ?? (await listApiKeys(userId))).filter((k) => k.keyId !== newest);
  const over = others.length + 1 - MAX_KEYS_PER_ACCOUNT;
  await Promise.all(others.slice(0, Math.max(0, over)).map((key) => revokeOne(userId, key)));
}

/**
 * Records a use of the key, at most once per LAST_USED_RESOLUTION_SECONDS; answers the last use
 * as it stands after this one.
 */
export async function recordKeyUse(record: ApiKeyRecord, now: number): Promise<number | undefined> {
  if (record.lastUsedAt !== undefined && now - record.lastUsedAt < LAST_USED_RESOLUTION_SECONDS)
    return record.lastUsedAt;
  const update = (key: { pk: string; sk: string }) =>
    db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)',
        UpdateExpression: 'SET lastUsedAt = :now',
        ExpressionAttributeValues: { ':now': now, ':stale': now - LAST_USED_RESOLUTION_SECONDS },
      }),
    );
  try {
    await Promise.all([
      record.lookup ? update(keys.apiKey(record.keyHash)) : undefined,
      update(keys.userApiKey(record.userId, record.keyId)),
    ]);
  } catch (err) {
    // Recorded by a parallel request, or the key was revoked meanwhile: either way, nothing to do.
    if (!isConditionFailed(err)) throw err;
  }
  return now;
}
