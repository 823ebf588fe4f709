// Audit events under their user. Written by services/audit.ts; read by tests and, later, by the user.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, type TransactItem, tableName } from './client.ts';
import { keys } from './keys.ts';

/** About 400 days: a year and a bit, for yearly reviews; then TTL removes them. */
export const AUDIT_RETENTION_SECONDS = 400 * 24 * 3600;

export interface StoredEvent {
  readonly event: string;
  readonly at: string;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly detail?: Record<string, string | number | boolean>;
}

interface EventInput {
  readonly name: string;
  readonly userId: string;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

/** Where an event sorts: its time to the millisecond, then `unique` (which orders same-ms events). */
export interface EventStamp {
  readonly at: string;
  readonly unique: string;
}

function eventRecord(event: EventInput, now: number, { at, unique }: EventStamp) {
  return {
    ...keys.event(event.userId, at, unique),
    type: 'event',
    userId: event.userId,
    event: event.name,
    at,
    ip: event.ip,
    userAgent: event.userAgent,
    detail: event.detail,
    expiresAt: now + AUDIT_RETENTION_SECONDS,
  };
}

export const eventPut = (event: EventInput, now: number, stamp: EventStamp): TransactItem => ({
  Put: { TableName: tableName(), Item: eventRecord(event, now, stamp) },
});

export async function putEvent(event: EventInput, now: number, stamp: EventStamp): Promise<void> {
  await db.send(new PutCommand({ TableName: tableName(), Item: eventRecord(event, now, stamp) }));
}

/** A user's events, oldest first. */
export async function listEvents(userId: string): Promise<StoredEvent[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':events': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as StoredEvent[];
}
