// Putting lifecycle events on the stack's EventBridge bus (EVENT_BUS_NAME). Only the publisher
// (functions/platform/publisher.ts) sends; locally the SDK is pointed at local/events.ts
// (AWS_ENDPOINT_URL_EVENTBRIDGE), which keeps what it was sent.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { UnavailableError } from '#domain/errors.ts';
import { ConfigError, config } from '#shared/config.ts';

/** At most this many entries a PutEvents call. */
export const PUT_EVENTS_MAX = 10;

export interface BusEvent {
  readonly source: string;
  readonly detailType: string;
  readonly time: Date;
  readonly detail: Readonly<Record<string, unknown>>;
}

const client = new EventBridgeClient({});

/**
 * Puts up to PUT_EVENTS_MAX events, in order; answers how many from the start were accepted (all
 * of them, or up to the first the bus refused: the caller sends the rest again).
 */
export async function putEvents(events: readonly BusEvent[]): Promise<number> {
  const bus = config().eventBusName;
  if (!bus) throw new ConfigError('Missing environment variable EVENT_BUS_NAME');
  if (events.length === 0) return 0;
  const { Entries = [], FailedEntryCount = 0 } = await client.send(
    new PutEventsCommand({
      Entries: events.map((e) => ({
        EventBusName: bus,
        Source: e.source,
        DetailType: e.detailType,
        Time: e.time,
        Detail: JSON.stringify(e.detail),
      })),
    }),
  );
  if (FailedEntryCount === 0) return events.length;
  // A failure count with no entry marked says nothing of which went out: none, for safety.
  const firstFailed = Math.max(
    0,
    Entries.findIndex((entry) => entry.ErrorCode !== undefined),
  );
  if (firstFailed === 0) {
    const entry = Entries.find((e) => e.ErrorCode !== undefined);
    throw new UnavailableError(
      `the bus refused an event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
      1,
    );
  }
  return firstFailed;
}
