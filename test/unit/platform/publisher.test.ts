// The publisher's failure edges, injected (the local bus and DynamoDB Local fail only as a whole:
// test/integration/events.test.ts): a bus that takes part of a call, and a numbering step that
// fails mid-batch. Either way the stream is told to start again at the first record not yet put,
// and what was put before it is not put again in this invocation.

import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTBOX_TYPE } from '#data/outbox.ts';
import { publish, type StreamRecord } from '../../../functions/platform/publisher.ts';

process.env.EVENT_BUS_NAME = 'gatehouse-unit';

const bus = mockClient(EventBridgeClient);
const dynamo = mockClient(DynamoDBClient);

/** An outbox item's INSERT, the n-th of the batch (sequence number n). */
const record = (n: number, userId = 'u1'): StreamRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(1000 + n),
    NewImage: marshall({
      pk: `EVENTS#${userId}`,
      sk: `OUT#2026-12-02T10:00:0${n % 10}.000Z#e${n}`,
      type: OUTBOX_TYPE,
      eventId: `e${n}`,
      userId,
      name: 'account.tier_changed',
      time: `2026-12-02T10:00:0${n % 10}.000Z`,
      fields: { tier: 'STANDARD', previousTier: 'FREE' },
    }) as NonNullable<StreamRecord['dynamodb']>['NewImage'],
  },
});

let counter = 0;
beforeEach(() => {
  counter = 0;
  // Not numbered yet; the account's counter counts up; recording the number succeeds.
  dynamo.on(GetItemCommand).resolves({});
  dynamo
    .on(UpdateItemCommand)
    .callsFake(async (input: { UpdateExpression: string }) =>
      input.UpdateExpression.startsWith('ADD') ? { Attributes: marshall({ last: ++counter }) } : {},
    );
});
afterEach(() => {
  bus.reset();
  dynamo.reset();
});

const put = () =>
  bus
    .commandCalls(PutEventsCommand)
    .map((c) => (c.args[0].input.Entries ?? []).map((e) => JSON.parse(String(e.Detail)).eventId as string));

describe('publish', () => {
  it('puts a batch in calls of ten, in stream order, each event numbered', async () => {
    bus.on(PutEventsCommand).callsFake(async (input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: String(i) })),
    }));
    const records = Array.from({ length: 12 }, (_, n) => record(n + 1));
    expect(await publish(records)).toEqual({ batchItemFailures: [] });
    expect(put()).toEqual([Array.from({ length: 10 }, (_, n) => `e${n + 1}`), ['e11', 'e12']]);
    const first = bus.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(first).toMatchObject({
      EventBusName: 'gatehouse-unit',
      Source: 'gatehouse',
      DetailType: 'account.tier_changed',
    });
    expect(JSON.parse(String(first?.Detail))).toEqual({
      eventId: 'e1',
      accountId: 'u1',
      sequence: 1,
      time: '2026-12-02T10:00:01.000Z',
      tier: 'STANDARD',
      previousTier: 'FREE',
    });
  });

  it('starts the stream again at the first entry the bus refused, not before', async () => {
    bus.on(PutEventsCommand).resolvesOnce({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'a' }, { EventId: 'b' }, { ErrorCode: 'ThrottlingException' }, { EventId: 'd' }],
    });
    const records = [1, 2, 3, 4].map((n) => record(n));
    expect(await publish(records)).toEqual({ batchItemFailures: [{ itemIdentifier: '1003' }] });
    expect(put()).toEqual([['e1', 'e2', 'e3', 'e4']]);
  });

  it('fails the whole call when the bus refuses its first entry, or reports failures it does not mark', async () => {
    bus
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    expect(await publish([record(1), record(2)])).toEqual({
      batchItemFailures: [{ itemIdentifier: '1001' }],
    });
    bus.reset();
    bus
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { EventId: 'b' }] });
    expect(await publish([record(1), record(2)])).toEqual({
      batchItemFailures: [{ itemIdentifier: '1001' }],
    });
  });

  it('puts what it numbered before a numbering step failed, and starts again at that record', async () => {
    bus.on(PutEventsCommand).callsFake(async (input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map(() => ({ EventId: 'x' })),
    }));
    dynamo
      .on(GetItemCommand, { Key: marshall({ pk: 'EVENTS#u1', sk: 'OUT#2026-12-02T10:00:03.000Z#e3' }) })
      .rejects(new Error('ProvisionedThroughputExceededException'));
    const records = [1, 2, 3, 4].map((n) => record(n));
    expect(await publish(records)).toEqual({ batchItemFailures: [{ itemIdentifier: '1003' }] });
    expect(put()).toEqual([['e1', 'e2']]);
  });

  it('passes over what is no new outbox item', async () => {
    const profile: StreamRecord = {
      eventName: 'INSERT',
      dynamodb: {
        SequenceNumber: '1',
        NewImage: marshall({ pk: 'USER#u1', sk: 'PROFILE', type: 'profile' }) as never,
      },
    };
    const modified: StreamRecord = { ...record(2), eventName: 'MODIFY' };
    expect(await publish([profile, modified, { eventName: 'REMOVE' }])).toEqual({ batchItemFailures: [] });
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
