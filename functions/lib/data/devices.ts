// The devices an account has signed in from (domain/devices.ts): one item under the account, a
// map of device digest to last sign-in, so a sign-in reads it with one GetItem and changes one
// entry in place (parallel sign-ins from two devices both land). Purged with the account.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { KnownDevices } from '#domain/devices.ts';
import { db, isConditionFailed, tableName } from './client.ts';
import { keys } from './keys.ts';

/** The account's known devices; undefined before its first sign-in was remembered. */
export async function knownDevices(userId: string): Promise<KnownDevices | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.devices(userId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const devices = (Item.devices ?? {}) as Record<string, unknown>;
  return new Map(Object.entries(devices).map(([d, at]) => [d, Number(at)]));
}

/**
 * Remembers `device` as signed in from at `now`, forgetting `forget`; `first` when the account has
 * no such item yet (knownDevices answered undefined).
 */
export async function rememberDevice(
  userId: string,
  device: string,
  now: number,
  { first, forget = [] }: { readonly first: boolean; readonly forget?: readonly string[] },
): Promise<void> {
  if (first) {
    try {
      await db.send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.devices(userId), type: 'devices', userId, devices: { [device]: now } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return;
    } catch (err) {
      // A parallel first sign-in made it: one entry changes in place, as below.
      if (!isConditionFailed(err)) throw err;
    }
  }
  const names = Object.fromEntries([device, ...forget].map((d, i) => [`#d${i}`, d]));
  const removed = forget.map((_, i) => `devices.#d${i + 1}`);
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.devices(userId),
        UpdateExpression: `SET devices.#d0 = :now${removed.length ? ` REMOVE ${removed.join(', ')}` : ''}`,
        // Never made again under an account whose items a deletion has just purged.
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':now': now },
      }),
    );
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
}
