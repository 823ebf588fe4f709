import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, type TransactItem, tableName, transactWrite } from './client.ts';
import { keys } from './keys.ts';

export interface ApiKeyRecord {
  readonly userId: string;
  readonly keyId: string;
}

export interface NewApiKeyRecord {
  readonly userId: string;
  readonly id: string;
  readonly hash: string;
  readonly createdAt: string;
  readonly userAgent?: string;
}

/** The two items of a key: the lookup by digest (never overwritten) and its mirror under the user. */
export function apiKeyPuts(key: NewApiKeyRecord): TransactItem[] {
  const common = { userId: key.userId, keyId: key.id, createdAt: key.createdAt };
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.apiKey(key.hash), type: 'apiKey', ...common },
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

/** Stores a new key, with `alsoWrite` (its audit events) in the same transaction. */
export async function storeApiKey(key: NewApiKeyRecord, alsoWrite: TransactItem[] = []): Promise<void> {
  await transactWrite([...apiKeyPuts(key), ...alsoWrite]);
}

/** Resolves a key digest. Consistent read: a revoked key must fail on the very next request. */
export async function findApiKey(keyHash: string): Promise<ApiKeyRecord | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.apiKey(keyHash), ConsistentRead: true }),
  );
  return Item ? { userId: String(Item.userId), keyId: String(Item.keyId) } : undefined;
}
