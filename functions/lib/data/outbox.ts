// Lifecycle events on their way out (docs/events.md): an outbox item written in the same
// transaction as the change it reports, so an event is never lost (the change cannot land without
// it) nor invented (it cannot land without the change). The table's stream hands each new item to
// the publisher (functions/platform/publisher.ts), which numbers it and puts it on the bus.
import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LifecycleEvent, LifecycleFields } from '#domain/lifecycle.ts';
import { isConditionFailed, type TransactItem, tableName } from './client.ts';
import { fromItem, getItem, scanItems, updateItem } from './document.ts';
import { keys } from './keys.ts';

/** Kept a week after it was written, for inspection; the stream delivers it within a day. */
export const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;

export const OUTBOX_TYPE = 'outbox';

export interface OutboxEvent {
  readonly eventId: string;
  readonly userId: string;
  readonly name: LifecycleEvent;
  readonly time: string;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  /** The number the publisher gave it, once it has (a stream image has none yet). */
  readonly sequence?: number;
}

/**
 * The outbox item for `name`, to go in the transaction of the change it reports; `now` is the
 * request's clock (epoch seconds), the change's time.
 */
export function outboxPut<E extends LifecycleEvent>(
  userId: string,
  name: E,
  fields: LifecycleFields[E],
  now: number,
): TransactItem {
  const eventId = randomUUID();
  const time = new Date(now * 1000).toISOString();
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.outbox(userId, time, eventId),
        type: OUTBOX_TYPE,
        eventId,
        userId,
        name,
        time,
        fields,
        expiresAt: Math.floor(now) + OUTBOX_RETENTION_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The event a stream record's new image holds, or undefined when the item is no outbox item. */
export function outboxEventOf(image: Record<string, AttributeValue> | undefined): OutboxEvent | undefined {
  return image ? eventOfItem(fromItem(image)) : undefined;
}

function eventOfItem(item: Record<string, unknown>): OutboxEvent | undefined {
  if (item.type !== OUTBOX_TYPE) return undefined;
  return {
    eventId: String(item.eventId),
    userId: String(item.userId),
    name: item.name as LifecycleEvent,
    time: String(item.time),
    fields: (item.fields ?? {}) as OutboxEvent['fields'],
    ...(typeof item.sequence === 'number' ? { sequence: item.sequence } : {}),
  };
}

/**
 * The event's sequence number: the one it was given, when it was published before (a redelivery
 * keeps its number), else the account's next. A crash between taking a number and recording it
 * leaves a gap, never a repeat.
 */
export async function sequenceOf(event: OutboxEvent): Promise<number> {
  const key = keys.outbox(event.userId, event.time, event.eventId);
  const { Item } = await getItem({ TableName: tableName(), Key: key, ConsistentRead: true });
  if (typeof Item?.sequence === 'number') return Item.sequence;
  const { Attributes } = await updateItem({
    TableName: tableName(),
    Key: keys.eventSequence(event.userId),
    // Kept while the account lives; its last event starts the week the outbox items are kept.
    UpdateExpression:
      event.name === 'account.deleted'
        ? 'ADD #last :one SET #type = :type, expiresAt = :end'
        : 'ADD #last :one SET #type = :type',
    ExpressionAttributeNames: { '#last': 'last', '#type': 'type' },
    ExpressionAttributeValues: {
      ':one': 1,
      ':type': 'eventSequence',
      ...(event.name === 'account.deleted'
        ? { ':end': Math.floor(Date.now() / 1000) + OUTBOX_RETENTION_SECONDS }
        : {}),
    },
    ReturnValues: 'UPDATED_NEW',
  });
  const next = Number(Attributes?.last);
  try {
    await updateItem({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET #sequence = :n',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#sequence)',
      ExpressionAttributeNames: { '#sequence': 'sequence' },
      ExpressionAttributeValues: { ':n': next },
    });
  } catch (err) {
    // Gone (TTL, a week on) or numbered meanwhile: the number it has, if any, else this one.
    if (!isConditionFailed(err)) throw err;
    const again = await getItem({ TableName: tableName(), Key: key, ConsistentRead: true });
    if (typeof again.Item?.sequence === 'number') return again.Item.sequence;
  }
  return next;
}

/**
 * Every outbox item still kept whose change happened in [since, until), each account's in the
 * order they were numbered, those never numbered after them by time (a second's resolution: the
 * stream's order is lost with it): for the operator's republish after the stream gave up
 * (docs/operations.md). A Scan, filtered: it reads
 * the whole table, once, on an operator's command; nothing on a request's path calls it.
 */
export async function outboxBetween(since: string, until: string): Promise<OutboxEvent[]> {
  const found: OutboxEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await scanItems({
      TableName: tableName(),
      FilterExpression: '#type = :outbox AND #time >= :since AND #time < :until',
      ExpressionAttributeNames: { '#type': 'type', '#time': 'time' },
      ExpressionAttributeValues: { ':outbox': OUTBOX_TYPE, ':since': since, ':until': until },
      ConsistentRead: true,
      ExclusiveStartKey: start,
    });
    for (const item of page.Items ?? []) {
      const event = eventOfItem(item);
      if (event) found.push(event);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  const unnumbered = Number.POSITIVE_INFINITY;
  return found.sort(
    (a, b) =>
      a.userId.localeCompare(b.userId) ||
      (a.sequence ?? unnumbered) - (b.sequence ?? unnumbered) ||
      a.time.localeCompare(b.time) ||
      a.eventId.localeCompare(b.eventId),
  );
}
