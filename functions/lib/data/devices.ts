// The devices an account has signed in from (domain/devices.ts): one item under the account, a
// map of device digest to last sign-in, so a sign-in reads it with one GetItem and changes one
// entry in place (parallel sign-ins from two devices both land). Purged with the account.
import type { KnownDevices } from '#domain/devices.ts';
import { isConditionFailed, tableName } from './client.ts';
import { deleteItem, getItem, putItem, updateItem } from './document.ts';
import { keys } from './keys.ts';

/** The account's known devices; undefined before its first sign-in was remembered. */
export async function knownDevices(userId: string): Promise<KnownDevices | undefined> {
  const { Item } = await getItem({ TableName: tableName(), Key: keys.devices(userId), ConsistentRead: true });
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
      await putItem({
        TableName: tableName(),
        Item: { ...keys.devices(userId), type: 'devices', userId, devices: { [device]: now } },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      return;
    } catch (err) {
      // A parallel first sign-in made it: one entry changes in place, as below.
      if (!isConditionFailed(err)) throw err;
    }
  }
  const names = Object.fromEntries([device, ...forget].map((d, i) => [`#d${i}`, d]));
  const removed = forget.map((_, i) => `devices.#d${i + 1}`);
  try {
    await updateItem({
      TableName: tableName(),
      Key: keys.devices(userId),
      UpdateExpression: `SET devices.#d0 = :now${removed.length ? ` REMOVE ${removed.join(', ')}` : ''}`,
      // Never made again under an account whose items a deletion has just purged.
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':now': now },
    });
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
}

/** What rememberDevice changed, to put back (a sign-in taken back after its device was written). */
export interface DeviceChange {
  readonly device: string;
  /** The item was made by this sign-in (the account's first remembered one). */
  readonly first: boolean;
  /** The device's last sign-in before this one; undefined when it was new. */
  readonly previous?: number;
  /** The devices forgotten to make room, with when each was last seen. */
  readonly forgotten: readonly (readonly [string, number])[];
}

/** Puts back what rememberDevice did: the device as it was, the forgotten ones again. */
export async function undoDevice(userId: string, change: DeviceChange): Promise<void> {
  if (change.first) {
    try {
      // The item this sign-in made, unless a parallel first sign-in has added its own entry since.
      await deleteItem({
        TableName: tableName(),
        Key: keys.devices(userId),
        ConditionExpression: 'size(devices) = :one AND attribute_exists(devices.#d)',
        ExpressionAttributeNames: { '#d': change.device },
        ExpressionAttributeValues: { ':one': 1 },
      });
      return;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }
  const restored = change.forgotten.map(([, at], i) => [`devices.#f${i} = :f${i}`, at] as const);
  const sets = [
    ...(change.previous === undefined ? [] : ['devices.#d = :previous']),
    ...restored.map(([expression]) => expression),
  ];
  const update = `${sets.length ? `SET ${sets.join(', ')}` : ''}${change.previous === undefined ? ' REMOVE devices.#d' : ''}`;
  try {
    await updateItem({
      TableName: tableName(),
      Key: keys.devices(userId),
      UpdateExpression: update.trim(),
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: {
        '#d': change.device,
        ...Object.fromEntries(change.forgotten.map(([d], i) => [`#f${i}`, d])),
      },
      ExpressionAttributeValues:
        change.previous === undefined && restored.length === 0
          ? undefined
          : {
              ...(change.previous === undefined ? {} : { ':previous': change.previous }),
              ...Object.fromEntries(restored.map(([, at], i) => [`:f${i}`, at])),
            },
    });
  } catch (err) {
    // Purged meanwhile: nothing to put back.
    if (!isConditionFailed(err)) throw err;
  }
}
