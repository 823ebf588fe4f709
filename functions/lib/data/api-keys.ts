import { timingSafeEqual } from 'node:crypto';
import type { Account } from '#domain/account.ts';
import { hasExpired, type KeyAddress, type KeyScope } from '#domain/api-keys.ts';
import type { Origin } from '#domain/request.ts';
import {
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
import { getItem, queryItems, updateItem } from './document.ts';
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
  /** What the key may do: a login's keys, and every key made before scopes, are `full`. */
  readonly scope: KeyScope;
  /** Epoch seconds from which the key no longer works; undefined: it never expires. */
  readonly expiresAt?: number;
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
  /** Given when the key was created by name (POST /api/api_keys); a login's key has none. */
  readonly name?: string;
  readonly kind?: 'browser';
  readonly scope: KeyScope;
  readonly expiresAt?: number;
  readonly lastUsedAt?: number;
  /** The request that made the key. */
  readonly ip?: string;
  readonly userAgent?: string;
  /** The last recorded use (with lastUsedAt, at most hourly). */
  readonly lastIp?: string;
  readonly lastUserAgent?: string;
  /** Whether a lookup item by digest goes with it (legacy keys). */
  readonly lookup: boolean;
}

/** Keys an account may hold; minting one more revokes the oldest. */
export const MAX_KEYS_PER_ACCOUNT = 50;
/** A key's use is written at most this often, so that authenticated reads stay reads. */
export const LAST_USED_RESOLUTION_SECONDS = 3600;

/** What a key is, besides its material: who made it, from where, and what it may do. */
export interface KeyTraits {
  /** The request that makes it. */
  readonly origin: Origin;
  /** The second factor the login that mints it passed (a recent one stands for a fresh code). */
  readonly secondFactor?: KeySecondFactor;
  readonly name?: string;
  /** Absent: `full`. */
  readonly scope?: KeyScope;
  /** Epoch seconds; absent: never. */
  readonly expiresAt?: number;
  /** A web console session (its cookie holds the key): goes with a login's keys past the limit. */
  readonly kind?: 'browser';
}

export interface NewApiKeyRecord extends KeyTraits {
  readonly userId: string;
  readonly id: string;
  readonly hash: string;
  /** The key carries its address: one item, under the account, no lookup by digest. */
  readonly addressed: boolean;
  readonly createdAt: string;
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
  traits: KeyTraits,
): NewApiKeyRecord => ({
  ...traits,
  userId,
  id: key.id,
  hash: key.hash,
  addressed: key.addressed,
  createdAt,
});

/**
 * An expired key's items stay this long after it expires, so its holder is told it expired rather
 * than that it is unknown; then DynamoDB's TTL removes them.
 */
export const EXPIRED_KEY_KEPT_SECONDS = 30 * 86_400;

/** What a request reads of the key (on both items of a legacy key): its factor, scope, expiry. */
const verifiedAttributes = (key: NewApiKeyRecord) => ({
  ...(key.secondFactor === undefined
    ? {}
    : { secondFactorAt: key.secondFactor.at, secondFactorAfter: key.secondFactor.after }),
  ...(key.scope === undefined || key.scope === 'full' ? {} : { scope: key.scope }),
  ...(key.expiresAt === undefined
    ? {}
    : { keyExpiresAt: key.expiresAt, expiresAt: key.expiresAt + EXPIRED_KEY_KEPT_SECONDS }),
});

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
        name: key.name,
        ...(key.kind ? { kind: key.kind } : {}),
        ip: key.origin.ip,
        userAgent: key.origin.userAgent?.slice(0, 256),
        // Read on every request with the profile: what the key is without a second read.
        ...(key.addressed ? { lookup: false } : {}),
        ...verifiedAttributes(key),
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
          ...verifiedAttributes(key),
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

const numberOrNone = (value: unknown) => (value === undefined ? undefined : Number(value));
const textOrNone = (value: unknown) => (value === undefined || value === '' ? undefined : String(value));
// Anything but `read` is a key from before scopes: it did everything.
const scopeOf = (item: Record<string, unknown>): KeyScope => (item.scope === 'read' ? 'read' : 'full');

function recordOf(item: Record<string, unknown>, keyHash: string, lookup: boolean): ApiKeyRecord {
  return {
    userId: String(item.userId),
    keyId: String(item.keyId),
    keyHash,
    lookup,
    scope: scopeOf(item),
    expiresAt: numberOrNone(item.keyExpiresAt),
    lastUsedAt: numberOrNone(item.lastUsedAt),
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
  const { Item } = await getItem({ TableName: tableName(), Key: keys.apiKey(keyHash), ConsistentRead: true });
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
  const { Items } = await queryItems({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :keys)',
    ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':keys': 'APIKEY#' },
    ConsistentRead: true,
  });
  return (Items ?? [])
    .map((item) => ({
      keyId: String(item.keyId),
      keyHash: String(item.keyHash),
      createdAt: String(item.createdAt),
      name: textOrNone(item.name),
      ...(item.kind === 'browser' ? { kind: 'browser' as const } : {}),
      scope: scopeOf(item),
      expiresAt: numberOrNone(item.keyExpiresAt),
      lastUsedAt: numberOrNone(item.lastUsedAt),
      ip: textOrNone(item.ip),
      userAgent: textOrNone(item.userAgent),
      lastIp: textOrNone(item.lastIp),
      lastUserAgent: textOrNone(item.lastUserAgent),
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
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.userApiKey(userId, keyId),
    ConsistentRead: true,
  });
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
 * Revokes every key of the account but `keepKeyId`, and writes `record(count)` (the audit event, or events, of
 * the revocation) in the same transaction when the keys fit in one (25 or fewer, as almost always).
 * Each key goes whole (its items in one transaction); more keys go 25 to a transaction, and a key
 * revoked meanwhile is simply skipped, so running it again after a failure finishes the job.
 */
export async function revokeOtherApiKeys(
  userId: string,
  keepKeyId?: string,
  /** A listing the caller read already (at the same time as its change, not before it). */
  listed?: readonly ApiKeyListing[],
  record?: (count: number) => TransactItem | readonly TransactItem[],
): Promise<number> {
  const records = (count: number): TransactItem[] => (record ? [record(count)].flat() : []);
  const doomed = (listed ?? (await listApiKeys(userId))).filter((k) => k.keyId !== keepKeyId);
  // The record rides in the one transaction when there is one; otherwise it is written after.
  const together = record !== undefined && doomed.length <= 25;
  let revoked = 0;
  let recorded = false;
  for (let i = 0; i < doomed.length; i += 25) {
    const batch = doomed.slice(i, i + 25);
    try {
      await transactWrite([
        ...batch.flatMap((key) => revokeItems(userId, key)),
        ...(together ? records(batch.length) : []),
      ]);
      revoked += batch.length;
      recorded = together;
    } catch (err) {
      if (!isTransactionCanceled(err)) throw err;
      // One of them went meanwhile: one at a time, skipping what is gone.
      for (const key of batch) if (await revokeOne(userId, key)) revoked++;
    }
  }
  if (record && !recorded) {
    const items = records(revoked);
    if (items.length === 1 && items[0]) await putAlone(items[0]);
    else await transactWrite(items);
  }
  return revoked;
}

/**
 * Which keys go first when an account is over its limit: expired ones, then a login's keys and
 * console sessions (a named key was made on purpose, for a machine that cannot log in), each kind
 * oldest first.
 */
export function revocationOrder(listed: readonly ApiKeyListing[], now: number): ApiKeyListing[] {
  const rank = (k: ApiKeyListing) =>
    hasExpired(k.expiresAt, now) ? 0 : k.name === undefined || k.kind === 'browser' ? 1 : 2;
  return [...listed].sort((a, b) => rank(a) - rank(b) || a.createdAt.localeCompare(b.createdAt));
}

/** The keys of a listing that still work at `now`. */
export const liveKeys = (listed: readonly ApiKeyListing[], now: number): ApiKeyListing[] =>
  listed.filter((k) => !hasExpired(k.expiresAt, now));

/**
 * Revokes keys beyond MAX_KEYS_PER_ACCOUNT (revocationOrder's first), `newest` included in the
 * count: `listed`, when given, is a listing read while `newest` was being written (it may or may
 * not hold it).
 */
export async function enforceKeyLimit(
  userId: string,
  newest: string,
  now: number,
  listed?: readonly ApiKeyListing[],
): Promise<void> {
  const others = (listed ?? (await listApiKeys(userId))).filter((k) => k.keyId !== newest);
  const over = others.length + 1 - MAX_KEYS_PER_ACCOUNT;
  if (over <= 0) return;
  await Promise.all(
    revocationOrder(others, now)
      .slice(0, over)
      .map((key) => revokeOne(userId, key)),
  );
}

/**
 * Records a use of the key, and where from, at most once per LAST_USED_RESOLUTION_SECONDS;
 * answers the last use as it stands after this one.
 */
export async function recordKeyUse(
  record: ApiKeyRecord,
  now: number,
  origin?: Origin,
): Promise<number | undefined> {
  if (record.lastUsedAt !== undefined && now - record.lastUsedAt < LAST_USED_RESOLUTION_SECONDS)
    return record.lastUsedAt;
  const where = origin
    ? {
        set: ', lastIp = :ip, lastUserAgent = :ua',
        values: { ':ip': origin.ip, ':ua': origin.userAgent?.slice(0, 256) ?? '' },
      }
    : { set: '', values: {} };
  const update = (key: { pk: string; sk: string }, withWhere: boolean) =>
    updateItem({
      TableName: tableName(),
      Key: key,
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)',
      UpdateExpression: `SET lastUsedAt = :now${withWhere ? where.set : ''}`,
      ExpressionAttributeValues: {
        ':now': now,
        ':stale': now - LAST_USED_RESOLUTION_SECONDS,
        ...(withWhere ? where.values : {}),
      },
    });
  try {
    await Promise.all([
      record.lookup ? update(keys.apiKey(record.keyHash), false) : undefined,
      // Where from is listed, so it goes on the item the listing reads.
      update(keys.userApiKey(record.userId, record.keyId), true),
    ]);
  } catch (err) {
    // Recorded by a parallel request, or the key was revoked meanwhile: either way, nothing to do.
    if (!isConditionFailed(err)) throw err;
  }
  return now;
}
