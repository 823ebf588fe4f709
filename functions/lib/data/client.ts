import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.ts';

// Module scope: one client per container, reused across requests (keep-alive connections).
export const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export const tableName = (): string => config().tableName;

/** True when a TransactWriteItems was cancelled because the condition of item `index` failed. */
export function conditionFailedAt(err: unknown, index: number): boolean {
  if (!(err instanceof Error) || err.name !== 'TransactionCanceledException') return false;
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.[index]?.Code === 'ConditionalCheckFailed';
}

export const isConditionFailed = (err: unknown): boolean =>
  err instanceof Error && err.name === 'ConditionalCheckFailedException';

export const isTransactionCanceled = (err: unknown): boolean =>
  err instanceof Error && err.name === 'TransactionCanceledException';
