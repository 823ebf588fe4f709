import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { config } from '#shared/config.ts';
import type { Key } from './keys.ts';

// Module scope: one client per container, reused across requests (keep-alive connections).
export const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export const tableName = (): string => config().tableName;

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const cancellationCodes = (err: unknown): (string | undefined)[] => {
  if (!isTransactionCanceled(err)) return [];
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code);
};

/** True when a TransactWriteItems was cancelled because the condition of item `index` failed. */
export const conditionFailedAt = (err: unknown, index: number): boolean =>
  cancellationCodes(err)[index] === 'ConditionalCheckFailed';

export const isConditionFailed = (err: unknown): boolean =>
  err instanceof Error && err.name === 'ConditionalCheckFailedException';

export const isTransactionCanceled = (err: unknown): boolean =>
  err instanceof Error && err.name === 'TransactionCanceledException';

/** Cancelled only because another transaction was writing the same items: worth another try. */
const isConflictOnly = (err: unknown): boolean => {
  const codes = cancellationCodes(err);
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
};

export const CONFLICT_RETRIES = 3;

/**
 * TransactWriteItems. DynamoDB cancels a transaction that overlaps another one on the same item
 * (ten signups racing for one address) and the SDK does not retry that, so we do, with jittered
 * backoff: a cancelled transaction wrote nothing, and the retry meets the conditions as the
 * winner left them (the address is then taken, the token used).
 */
export async function transactWrite(items: TransactItem[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (err) {
      if (attempt >= CONFLICT_RETRIES || !isConflictOnly(err)) throw err;
      await sleep(20 * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}

/**
 * Consistent reads of up to 100 items of the table in one round trip (BatchGetItem), answered in
 * the order asked, undefined for an item that is not there. Keys DynamoDB leaves unprocessed (it
 * throttled part of the batch) are asked again, with backoff, so a caller never mistakes "not
 * read" for "not there".
 */
export async function getTogether(wanted: readonly Key[]): Promise<(Record<string, unknown> | undefined)[]> {
  const found = new Map<string, Record<string, unknown>>();
  const id = (k: { pk?: unknown; sk?: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
  let pending: Key[] = [...wanted];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await sleep(20 * 2 ** Math.min(attempt, 6) * (0.5 + Math.random()));
    const { Responses, UnprocessedKeys } = await db.send(
      new BatchGetCommand({
        RequestItems: {
          [tableName()]: { Keys: pending.map((k) => ({ pk: k.pk, sk: k.sk })), ConsistentRead: true },
        },
      }),
    );
    for (const item of Responses?.[tableName()] ?? []) found.set(id(item), item);
    pending = (UnprocessedKeys?.[tableName()]?.Keys ?? []) as Key[];
    if (attempt >= 8 && pending.length > 0) throw new Error('DynamoDB left keys unprocessed after 8 retries');
  }
  return wanted.map((k) => found.get(id(k)));
}

/**
 * transactWrite, except that a lone unconditional put is written as a PutItem: alone it needs no
 * transaction, and a transaction bills it twice.
 */
export async function writeAtomically(items: TransactItem[]): Promise<void> {
  const [only] = items;
  if (items.length === 0) return;
  if (items.length === 1 && only?.Put && !only.Put.ConditionExpression) {
    await db.send(new PutCommand({ TableName: only.Put.TableName, Item: only.Put.Item }));
    return;
  }
  await transactWrite(items);
}

/** A conditional UpdateItem: false when its condition failed (nothing written). */
export async function updateIf(input: UpdateCommandInput): Promise<boolean> {
  try {
    await db.send(new UpdateCommand(input));
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}

/** A transaction whose only conditions are its own guards: false when one failed (nothing written). */
export const transactIf = (items: TransactItem[]): Promise<boolean> =>
  transactOutcome(items, true, () => false);

/** Which items of a cancelled transaction had their condition fail. */
export type FailedAt = (index: number) => boolean;

/**
 * A transaction whose refusal is an outcome, not an exception: answers `written` when it went
 * through; when DynamoDB cancelled it, what `refused` makes of which conditions failed (it may
 * throw a domain error). `refused` answering undefined lets the cancellation through as it came:
 * a refusal nobody foresaw is a failure, never an outcome.
 */
export async function transactOutcome<T>(
  items: TransactItem[],
  written: T,
  refused: (failedAt: FailedAt) => T | undefined,
): Promise<T> {
  try {
    await transactWrite(items);
    return written;
  } catch (err) {
    if (!isTransactionCanceled(err)) throw err;
    const outcome = refused((index) => conditionFailedAt(err, index));
    if (outcome === undefined) throw err;
    return outcome;
  }
}
