import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  db,
  isConditionFailed,
  isTransactionCanceled,
  type TransactItem,
  tableName,
  transactIf,
  transactOutcome,
  transactWrite,
} from './client.ts';
import { keys } from './keys.ts';

export interface ApiKeyRecord {
  readonly userId: string;
  readonly keyId: string;
  readonly keyHash: string;
  /** Epoch seconds of the last recorded use (recorded at most hourly). */
  readonly lastUsedAt?: number;
  /** The second factor the login that minted this key passed, if any. */
  readonly secondFactor?: KeySecondFactor;
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
}

/** Keys an account may hold; minting one more revokes the oldest. */
export const MAX_KEYS_PER_ACCOUNT = 50;
/** A key's use is written at most this often, so that authenticated reads stay reads. */
export const LAST_USED_RESOLUTION_SECONDS = 3600;

export interface NewApiKeyRecord {
  readonly userId: string;
  readonly id: string;
  readonly hash: string;
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
  key: { readonly id: string; readonly hash: string },
  /** The request's reading to the millisecond (RequestTime.at): it orders the keys. */
  createdAt: string,
  userAgent?: string,
  secondFactor?: KeySecondFactor,
): NewApiKeyRecord => ({
  userId,
  id: key.id,
  hash: key.hash,
  createdAt,
  userAgent,
  secondFactor,
});

/** The two items of a key: the lookup by digest (never overwritten) and its mirror under the user. */
export function apiKeyPuts(key: NewApiKeyRecord): TransactItem[] {
  const common = { userId: key.userId, keyId: key.id, createdAt: key.createdAt };
  return [
    {
      Put: {
        TableName: tableName(),
        // On the lookup, which every request reads: no second read to know the key's factor.
        Item: {
          ...keys.apiKey(key.hash),
          type: 'apiKey',
          ...common,
          ...(key.secondFactor === undefined
            ? {}
            : { secondFactorAt: key.secondFactor.at, secondFactorAfter: key.secondFactor.after }),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.userApiKey(key.userId, key.id),
          type: 'userApiKey',
          ...common,
          keyHash: key.hash,
          userAgent: key.userAgent?.slice(0, 256),
        },
      },
    },
  ];
}

/**
 * Stores a new key with `alsoWrite` (its guards, its audit events) in one transaction. False when
 * a guard failed or the transaction lost a race: nothing was written.
 */
export const storeApiKey = (key: NewApiKeyRecord, alsoWrite: TransactItem[] = []): Promise<boolean> =>
  transactIf([...apiKeyPuts(key), ...alsoWrite]);

/** Resolves a key digest. Consistent read: a revoked key must fail on the very next request. */
export async function findApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.apiKey(keyHash), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    userId: String(Item.userId),
    keyId: String(Item.keyId),
    keyHash,
    lastUsedAt: Item.lastUsedAt === undefined ? undefined : Number(Item.lastUsedAt),
    secondFactor:
      Item.secondFactorAt === undefined
        ? undefined
        : {
            at: Number(Item.secondFactorAt),
            // Unknown (an older record): the weakest.
            after:
              Item.secondFactorAfter === 'password' || Item.secondFactorAfter === 'google'
                ? Item.secondFactorAfter
                : 'google-page',
          },
  };
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
    }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The two deletes that revoke a key; the first fails when the key is gone already. */
const revokeItems = (userId: string, key: { keyId: string; keyHash: string }): TransactItem[] => [
  {
    Delete: {
      TableName: tableName(),
      Key: keys.userApiKey(userId, key.keyId),
      ConditionExpression: 'attribute_exists(pk)',
    },
  },
  { Delete: { TableName: tableName(), Key: keys.apiKey(key.keyHash) } },
];

/** Revokes one key of the account; false when it has no such key. Takes effect on the next request. */
export async function revokeApiKey(userId: string, keyId: string): Promise<boolean> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.userApiKey(userId, keyId), ConsistentRead: true }),
  );
  if (!Item) return false;
  return transactOutcome(revokeItems(userId, { keyId, keyHash: String(Item.keyHash) }), true, (failedAt) =>
    failedAt(0) ? false : undefined,
  );
}

/**
 * Revokes every key of the account but `keepKeyId`. Each key goes whole (lookup and mirror in one
 * transaction); keys go 25 to a transaction, and a key revoked meanwhile is simply skipped, so
 * running it again after a failure finishes the job.
 */
export async function revokeOtherApiKeys(userId: string, keepKeyId?: string): Promise<number> {
  const doomed = (await listApiKeys(userId)).filter((k) => k.keyId !== keepKeyId);
  let revoked = 0;
  for (let i = 0; i < doomed.length; i += 25) {
    const batch = doomed.slice(i, i + 25);
    try {
      await transactWrite(batch.flatMap((key) => revokeItems(userId, key)));
      revoked += batch.length;
    } catch (err) {
      if (!isTransactionCanceled(err)) throw err;
      // One of them went meanwhile: one at a time, skipping what is gone.
      for (const key of batch) if (await revokeApiKey(userId, key.keyId)) revoked++;
    }
  }
  return revoked;
}

/** Revokes the oldest keys beyond MAX_KEYS_PER_ACCOUNT. */
export async function enforceKeyLimit(userId: string): Promise<void> {
  const all = await listApiKeys(userId);
  for (const key of all.slice(0, Math.max(0, all.length - MAX_KEYS_PER_ACCOUNT))) {
    await revokeApiKey(userId, key.keyId);
  }
}

/** Records a use of the key, at most once per LAST_USED_RESOLUTION_SECONDS. */
export async function recordKeyUse(record: ApiKeyRecord, now: number): Promise<void> {
  if (record.lastUsedAt !== undefined && now - record.lastUsedAt < LAST_USED_RESOLUTION_SECONDS) return;
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
      update(keys.apiKey(record.keyHash)),
      update(keys.userApiKey(record.userId, record.keyId)),
    ]);
  } catch (err) {
    // Recorded by a parallel request, or the key was revoked meanwhile: either way, nothing to do.
    if (!isConditionFailed(err)) throw err;
  }
}
