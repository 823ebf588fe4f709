// Audit events under their user. Written by services/audit.ts; read by the owner (their activity),
// by operators and by tests.
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, queryAll, type TransactItem, tableName } from './client.ts';
import { keys } from './keys.ts';

/** About 400 days: a year and a bit, for yearly reviews; then TTL removes them. */
export const AUDIT_RETENTION_SECONDS = 400 * 24 * 3600;

export interface StoredEvent {
  readonly event: string;
  readonly at: string;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly detail?: Record<string, string | number | boolean>;
  /** A day's failed logins (one item a day): how many, and the first one's time (`at`: the last). */
  readonly count?: number;
  readonly firstAt?: string;
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

/** A user's events, oldest first, every page of them. */
export const listEvents = async (userId: string): Promise<StoredEvent[]> =>
  (await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
    ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':events': 'EVENT#' },
    ConsistentRead: true,
  })) as unknown as StoredEvent[];

/** The one item that counts an account's failed logins of a UTC day. */
const FAILED_LOGINS = 'failed-logins';

/**
 * Counts a failed login of the account in the day's one item (its count, first and last time, the
 * last one's source): failures never pile up items under an account, whoever sends them, and the
 * owner still sees how many there were. It sorts last among the day's events (at 23:59:59.999).
 */
export async function countFailedLogin(
  userId: string,
  origin: { readonly ip: string; readonly userAgent?: string },
  now: number,
  at: string,
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.event(userId, `${at.slice(0, 10)}T23:59:59.999Z`, FAILED_LOGINS),
      UpdateExpression:
        'ADD #count :one SET #type = :type, userId = :userId, #event = :event, #at = :at, firstAt = if_not_exists(firstAt, :at), ip = :ip, userAgent = :ua, expiresAt = :expires',
      ExpressionAttributeNames: { '#count': 'count', '#type': 'type', '#event': 'event', '#at': 'at' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':type': 'event',
        ':userId': userId,
        ':event': 'login.failed',
        ':at': at,
        ':ip': origin.ip,
        ':ua': origin.userAgent ?? '',
        ':expires': now + AUDIT_RETENTION_SECONDS,
      },
    }),
  );
}

/** What an events page starts after: the sort key of the last event of the page before. */
export type EventCursor = string;
const CURSOR_SHAPE = /^EVENT#\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#[A-Za-z0-9-]{1,32}$/;
/** Whether `value` is a cursor eventsPage may have answered (never a key of another account's). */
export const isEventCursor = (value: string): boolean => CURSOR_SHAPE.test(value);

/**
 * The account's events named in `names`, newest first, at most `limit`, after `cursor` when given;
 * `next` is where the following page starts, undefined when there is none. Reads as few items as
 * it can: each round evaluates at most what is still missing.
 */
export async function eventsPage(
  userId: string,
  names: readonly string[],
  limit: number,
  cursor?: EventCursor,
): Promise<{ events: StoredEvent[]; next?: EventCursor }> {
  const events: StoredEvent[] = [];
  let start: Record<string, unknown> | undefined = cursor ? { ...keys.user(userId), sk: cursor } : undefined;
  const named = Object.fromEntries(names.map((name, i) => [`:e${i}`, name]));
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        FilterExpression: `#event IN (${Object.keys(named).join(', ')})`,
        ExpressionAttributeNames: { '#event': 'event' },
        ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':events': 'EVENT#', ...named },
        ScanIndexForward: false,
        Limit: limit - events.length,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    events.push(...((page.Items ?? []) as StoredEvent[]));
    start = page.LastEvaluatedKey;
  } while (start && events.length < limit);
  return { events, next: start ? String(start.sk) : undefined };
}
