// Puts the account lifecycle events on the bus (docs/events.md): invoked by the table's stream
// with the new outbox items (data/outbox.ts; the event source mapping passes only those, and this
// checks again), in the order they were written. Each event gets its account's next sequence
// number (kept across redeliveries), then goes out in PutEvents calls of up to ten. When a step
// fails, that record is reported as the batch's first failure: the stream hands it and everything
// after it over again, in order, so nothing is skipped; what was already put may go out twice
// (at least once), under the same event id and sequence number, for consumers to deduplicate on.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type BusEvent, PUT_EVENTS_MAX, putEvents } from '#adapters/eventbridge.ts';
import { type OutboxEvent, outboxEventOf, sequenceOf } from '#data/outbox.ts';
import { EVENT_SOURCE } from '#domain/lifecycle.ts';
import { log } from '#shared/log.ts';

/** The part of a DynamoDB stream record this reads. */
export interface StreamRecord {
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly SequenceNumber?: string;
    readonly NewImage?: Record<string, AttributeValue>;
  };
}

export interface StreamBatchResult {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

const busEvent = (event: OutboxEvent, sequence: number): BusEvent => ({
  source: EVENT_SOURCE,
  detailType: event.name,
  time: new Date(event.time),
  detail: { eventId: event.eventId, accountId: event.userId, sequence, time: event.time, ...event.fields },
});

/** An event to put, with what names it to the caller (a stream record's sequence number, ...). */
export interface Pending {
  readonly ref: string;
  readonly event: OutboxEvent;
}

/**
 * Numbers and puts `events`, in order, ten a call; answers the ref of the first one not put (it
 * and all after it are to be tried again), or undefined when every one went out.
 */
export async function publishEvents(events: readonly Pending[]): Promise<string | undefined> {
  const numbered: { ref: string; event: BusEvent }[] = [];
  const failedAt = (ref: string, err: unknown): string => {
    log.error('lifecycle events not published; they will be tried again', { error: err, from: ref });
    return ref;
  };
  const flush = async (): Promise<string | undefined> => {
    while (numbered.length > 0) {
      const chunk = numbered.slice(0, PUT_EVENTS_MAX);
      let accepted: number;
      try {
        accepted = await putEvents(chunk.map((p) => p.event));
      } catch (err) {
        return failedAt(String(chunk[0]?.ref), err);
      }
      numbered.splice(0, accepted);
      if (accepted < chunk.length) return failedAt(String(numbered[0]?.ref), 'refused by the bus');
    }
    return undefined;
  };
  for (const { ref, event } of events) {
    try {
      numbered.push({ ref, event: busEvent(event, await sequenceOf(event)) });
    } catch (err) {
      // Put what is numbered so far, then start again from this one.
      return (await flush()) ?? failedAt(ref, err);
    }
    if (numbered.length === PUT_EVENTS_MAX) {
      const failed = await flush();
      if (failed !== undefined) return failed;
    }
  }
  return flush();
}

/** A stream batch: the new outbox items it holds, and where the stream is to start again. */
export async function publish(records: readonly StreamRecord[]): Promise<StreamBatchResult> {
  const pending = records.flatMap((record): Pending[] => {
    const event = record.eventName === 'INSERT' ? outboxEventOf(record.dynamodb?.NewImage) : undefined;
    return event ? [{ ref: String(record.dynamodb?.SequenceNumber), event }] : [];
  });
  const failed = await publishEvents(pending);
  return { batchItemFailures: failed === undefined ? [] : [{ itemIdentifier: failed }] };
}

export const handler = (event: { Records?: readonly StreamRecord[] }): Promise<StreamBatchResult> =>
  publish(event.Records ?? []);
