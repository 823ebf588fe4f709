import { TransientError } from '#domain/errors.ts';
import { config } from '#shared/config.ts';
import { sleep } from '#shared/sleep.ts';
import {
  batchGetItems,
  batchWriteItems,
  putItem,
  type QueryInput,
  queryItems,
  type TransactItem,
  transactWriteItems,
  type UpdateInput,
  updateItem,
  type WriteRequest,
} from './document.ts';
import type { Key } from './keys.ts';

export { db, type TransactItem, type WriteRequest } from './document.ts';

export const tableName = (): string => config().tableName;

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
      await transactWriteItems({ TransactItems: items });
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
    if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random()));
    const { Responses, UnprocessedKeys } = await batchGetItems({
      RequestItems: {
        [tableName()]: { Keys: pending.map((k) => ({ pk: k.pk, sk: k.sk })), ConsistentRead: true },
      },
    });
    for (const item of Responses?.[tableName()] ?? []) found.set(id(item), item);
    pending = (UnprocessedKeys?.[tableName()]?.Keys ?? []) as Key[];
    if (attempt >= UNPROCESSED_RETRIES && pending.length > 0)
      throw new TransientError(`${pending.length} reads left unprocessed by DynamoDB`);
  }
  return wanted.map((k) => found.get(id(k)));
}

/** Every item a query matches, page after page (for reads that must see all: an export, a list). */
export async function queryAll(
  input: Omit<QueryInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await queryItems({ ...input, ExclusiveStartKey: start });
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A transaction's Put written alone, as a PutItem: a transaction would bill it twice. */
export async function putAlone(item: TransactItem): Promise<void> {
  if (!item.Put) throw new Error('putAlone writes a Put');
  await putItem(item.Put);
}

const BATCH_SIZE = 25;
const UNPROCESSED_RETRIES = 8;

/**
 * Writes the requests, 25 a BatchWriteItem (1 unit an item, not a transaction's 2; not atomic),
 * sending back what DynamoDB left unprocessed, with backoff, until none is.
 */
export async function writeBatch(requests: readonly WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_SIZE) {
    let pending = requests.slice(i, i + BATCH_SIZE);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > UNPROCESSED_RETRIES)
        throw new TransientError(`${pending.length} writes left unprocessed by DynamoDB`);
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random()));
      const { UnprocessedItems } = await batchWriteItems({
        RequestItems: { [tableName()]: pending as WriteRequest[] },
      });
      pending = (UnprocessedItems?.[tableName()] ?? []) as WriteRequest[];
    }
  }
}

/** A conditional UpdateItem: false when its condition failed (nothing written). */
export async function updateIf(input: UpdateInput): Promise<boolean> {
  try {
    await updateItem(input);
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
