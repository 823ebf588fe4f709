// The stack's events, locally: a stand-in for the EventBridge API the publisher calls (PutEvents,
// as the SDK speaks it: JSON 1.1), keeping every event put, in order, at `GET /events`
// (`{"events": [{"id", "source", "detail-type", "time", "detail"}, ...]}`), and the poller that
// feeds the publisher from DynamoDB Local's stream (local/streams.ts). Like EventBridge, each put
// gets an `id` of its own; the stable id to deduplicate on is `detail.eventId`.
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { LOCAL_EVENT_BUS } from './env.ts';

export interface StoredBusEvent {
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly time: string;
  readonly detail: Record<string, unknown>;
}

export interface LocalEvents {
  readonly url: string;
  readonly events: StoredBusEvent[];
  /** What the publisher reads: the SDK pointed here, and the bus's name. */
  readonly environment: Record<string, string>;
  /** Fails the next `n` PutEvents calls (tests: a bus that is down for a while). */
  failNext(n: number): void;
  /** How many PutEvents calls were refused by failNext so far. */
  refused(): number;
  stop(): Promise<void>;
}

const json11 = (c: Context, status: 200 | 400, body: unknown) =>
  c.body(JSON.stringify(body), status, { 'content-type': 'application/x-amz-json-1.1' });

export async function startLocalEvents(port = 0): Promise<LocalEvents> {
  const events: StoredBusEvent[] = [];
  let failures = 0;
  let refused = 0;
  const app = new Hono();
  app.get('/events', (c) => c.json({ events }));
  app.post('/', async (c) => {
    const target = c.req.header('x-amz-target') ?? '';
    if (target !== 'AWSEvents.PutEvents')
      return json11(c, 400, {
        __type: 'UnknownOperationException',
        message: `Not supported here: ${target}`,
      });
    if (failures > 0) {
      failures--;
      refused++;
      return json11(c, 400, { __type: 'InternalException', message: 'the local bus is down (failNext)' });
    }
    const { Entries = [] } = (await c.req.json()) as {
      Entries?: {
        EventBusName?: string;
        Source: string;
        DetailType: string;
        Time?: number;
        Detail: string;
      }[];
    };
    const results = Entries.map((entry) => {
      if (entry.EventBusName !== LOCAL_EVENT_BUS)
        return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `no bus ${entry.EventBusName}` };
      const id = randomUUID();
      events.push({
        id,
        source: entry.Source,
        'detail-type': entry.DetailType,
        // The SDK sends Time as epoch seconds.
        time: new Date((entry.Time ?? Date.now() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        detail: JSON.parse(entry.Detail) as Record<string, unknown>,
      });
      return { EventId: id };
    });
    return json11(c, 200, {
      FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length,
      Entries: results,
    });
  });
  const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => ready(s));
    s.once('error', fail);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return {
    url,
    events,
    environment: { AWS_ENDPOINT_URL_EVENTBRIDGE: url, EVENT_BUS_NAME: LOCAL_EVENT_BUS },
    failNext: (n) => {
      failures = n;
    },
    refused: () => refused,
    stop: () =>
      new Promise<void>((done) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
