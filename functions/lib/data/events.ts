// Audit events under their user. Written by services/audit.ts; read by the owner (their activity),
// by operators and by tests.
import { queryAll, type TransactItem, tableName } from './client.ts';
import { putItem, queryItems, updateItem } from './document.ts';
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

/** An event stored with the one before it in its item: same request, same moment and source. */
export interface FollowingEvent {
  readonly event: string;
  readonly detail?: Record<string, string | number | boolean>;
}

/** An event item as stored: its first event's fields, and the events of the same request after it. */
type EventItem = StoredEvent & { readonly also?: readonly FollowingEvent[] };

/**
 * One item for the events of one request (a login's success and its key): one write unit instead
 * of one an event. They share the user, the source and the moment; each keeps its name and detail.
 */
function eventRecord(events: readonly EventInput[], now: number, { at, unique }: EventStamp) {
  const [first, ...rest] = events;
  if (!first) throw new Error('an event item holds at least one event');
  for (const e of rest) {
    if (e.userId !== first.userId || e.ip !== first.ip || e.userAgent !== first.userAgent)
      throw new Error('events stored together share their user and source');
  }
  return {
    ...keys.event(first.userId, at, unique),
    type: 'event',
    userId: first.userId,
    event: first.name,
    at,
    ip: first.ip,
    userAgent: first.userAgent,
    detail: first.detail,
    also: rest.length ? rest.map((e) => ({ event: e.name, detail: e.detail })) : undefined,
    expiresAt: now + AUDIT_RETENTION_SECONDS,
  };
}

export const eventPut = (events: readonly EventInput[], now: number, stamp: EventStamp): TransactItem => ({
  Put: { TableName: tableName(), Item: eventRecord(events, now, stamp) },
});

export async function putEvent(event: EventInput, now: number, stamp: EventStamp): Promise<void> {
  await putItem({ TableName: tableName(), Item: eventRecord([event], now, stamp) });
}

/** The events of one item, in the order they happened: its own, then those stored with it. */
export function eventsOf(item: Record<string, unknown>): StoredEvent[] {
  const { also, ...first } = item as unknown as EventItem;
  return [first, ...(also ?? []).map((e) => ({ ...first, event: e.event, detail: e.detail }))];
}

/** A user's events, oldest first, every page of them. */
export const listEvents = async (userId: string): Promise<StoredEvent[]> =>
  (
    await queryAll({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':events': 'EVENT#' },
      ConsistentRead: true,
    })
  ).flatMap(eventsOf);

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
  await updateItem({
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
  });
}

/** What an events page starts after: the sort key of the last event of the page before. */
export type EventCursor = string;
const CURSOR_SHAPE = /^EVENT#\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#[A-Za-z0-9-]{1,32}$/;
/** Whether `value` is a cursor eventsPage may have answered (never a key of another account's). */
export const isEventCursor = (value: string): boolean => CURSOR_SHAPE.test(value);

/**
 * The account's events named in `names`, newest first, at most `limit`, after `cursor` when given;
 * `next` is where the following page starts, undefined when there is none. Reads as few items as
 * it can: each round evaluates at most what is still missing. An item holds one or a few events
 * (those of one request): a page ends before an item whose events would not all fit.
 */
export async function eventsPage(
  userId: string,
  names: readonly string[],
  limit: number,
  cursor?: EventCursor,
): Promise<{ events: StoredEvent[]; next?: EventCursor }> {
  const events: StoredEvent[] = [];
  const wanted = new Set(names);
  let start: Record<string, unknown> | undefined = cursor ? { ...keys.user(userId), sk: cursor } : undefined;
  let last = cursor;
  const named = Object.fromEntries(names.map((name, i) => [`:e${i}`, name]));
  do {
    const page = await queryItems({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      FilterExpression: `#event IN (${Object.keys(named).join(', ')}) OR attribute_exists(#also)`,
      ExpressionAttributeNames: { '#event': 'event', '#also': 'also' },
      ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':events': 'EVENT#', ...named },
      ScanIndexForward: false,
      Limit: limit - events.length,
      ExclusiveStartKey: start,
      ConsistentRead: true,
    });
    for (const item of page.Items ?? []) {
      const shown = eventsOf(item)
        .filter((e) => wanted.has(e.event))
        .reverse();
      if (events.length > 0 && events.length + shown.length > limit) return { events, next: last };
      events.push(...shown);
      last = String(item.sk);
    }
    start = page.LastEvaluatedKey;
  } while (start && events.length < limit);
  return { events, next: start ? String(start.sk) : undefined };
}
