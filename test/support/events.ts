// The lifecycle event pipeline for one test file, as npm start runs it: the test table's stream
// polled into the publisher, which puts events on a local bus that keeps them (local/events.ts).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { type LocalEvents, type StoredBusEvent, startLocalEvents } from '../../local/events.ts';
import { startStreamPoller } from '../../local/streams.ts';
import { enableStream } from '../../local/table.ts';
import { waitFor } from '../../local/wait.ts';
import { useStandIn } from './stand-in.ts';

/**
 * The JSON Schema of each event's detail, as docs/events.md gives it (its ```json <name> blocks):
 * the published contract, so every event a test sees is held to it.
 */
export function documentedSchemas(): Map<string, ValidateFunction> {
  const doc = readFileSync(resolve(import.meta.dirname, '../../docs/events.md'), 'utf8');
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  const schemas = new Map<string, ValidateFunction>();
  for (const [, name, body] of doc.matchAll(/```json (\S+)\n([\s\S]*?)```/g))
    schemas.set(String(name), ajv.compile(JSON.parse(String(body))));
  return schemas;
}

export function useLifecycleEvents() {
  const schemas = documentedSchemas();
  const running = useStandIn(async () => {
    await enableStream(new DynamoDBClient({}), String(process.env.TABLE_NAME));
    const bus = await startLocalEvents(0);
    Object.assign(process.env, bus.environment);
    const { handler } = await import('../../functions/platform/publisher.ts');
    const poller = await startStreamPoller({
      endpoint: String(process.env.AWS_ENDPOINT_URL_DYNAMODB),
      tableName: String(process.env.TABLE_NAME),
      handler,
      intervalMs: 100,
      retryMs: 100,
    });
    return {
      bus,
      environment: bus.environment,
      stop: async () => {
        await poller.stop();
        await bus.stop();
      },
    };
  });
  const bus = (): LocalEvents => running().bus;
  /** The events of one account published so far, in the order they were put. */
  const of = (accountId: string): StoredBusEvent[] =>
    bus().events.filter((e) => e.detail.accountId === accountId);
  /** Waits until the account has `count` distinct events (by event id), and answers them in sequence order. */
  const settled = async (accountId: string, count: number): Promise<StoredBusEvent[]> => {
    const distinct = () => [...new Map(of(accountId).map((e) => [e.detail.eventId, e])).values()];
    await waitFor(`${count} events of ${accountId}`, async () => distinct().length >= count, 20_000);
    // A little longer: any event beyond the expected ones would show now.
    await new Promise((r) => setTimeout(r, 400));
    const events = distinct().sort((a, b) => Number(a.detail.sequence) - Number(b.detail.sequence));
    expect(events.map((e) => e.detail.sequence)).toEqual(events.map((_, i) => i + 1));
    for (const event of events) {
      const validate = schemas.get(event['detail-type']);
      expect(validate, `docs/events.md has no schema for ${event['detail-type']}`).toBeDefined();
      expect(validate?.(event.detail) ? [] : validate?.errors, event['detail-type']).toEqual([]);
    }
    return events;
  };
  return { bus, of, settled };
}
