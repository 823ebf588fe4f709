// DynamoDB may leave part of a batch unprocessed when it throttles; DynamoDB Local never does, so
// this is injected here. What is left is sent again until none is; past the retries it is a
// transient failure (the deletion workflow retries those), never "not there" or "written".
import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { getTogether, tableName, type WriteRequest, writeBatch } from '#data/client.ts';
import { TransientError } from '#domain/errors.ts';

const dynamo = mockClient(DynamoDBClient);
afterEach(() => dynamo.reset());

const put = (n: number): WriteRequest => ({ PutRequest: { Item: { pk: `P#${n}`, sk: 'S' } } });
// What DynamoDB answers and is sent: the wire format (util-dynamodb's, as a second opinion on ours).
const wirePut = (n: number) => ({ PutRequest: { Item: marshall({ pk: `P#${n}`, sk: 'S' }) } });

describe('writeBatch', () => {
  it('sends 25 a request and sends again what DynamoDB left unprocessed', async () => {
    const requests = Array.from({ length: 30 }, (_, n) => put(n));
    dynamo
      .on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { [tableName()]: [wirePut(3)] } })
      .resolves({});
    await writeBatch(requests);
    const sent = dynamo
      .commandCalls(BatchWriteItemCommand)
      .map((c) => c.args[0].input.RequestItems?.[tableName()]);
    expect(sent.map((r) => r?.length)).toEqual([25, 1, 5]);
    expect(sent[1]).toEqual([wirePut(3)]);
  });

  it('gives up as a transient failure when DynamoDB keeps leaving writes', async () => {
    dynamo.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { [tableName()]: [wirePut(1)] } });
    await expect(writeBatch([put(1)])).rejects.toBeInstanceOf(TransientError);
  }, 30_000);
});

describe('getTogether', () => {
  it('asks again for the keys DynamoDB left unprocessed, and answers in the order asked', async () => {
    const a = { pk: 'A', sk: 'S' };
    const b = { pk: 'B', sk: 'S' };
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { [tableName()]: [marshall({ ...b, v: 2 })] },
        UnprocessedKeys: { [tableName()]: { Keys: [marshall(a)] } },
      })
      .resolves({ Responses: { [tableName()]: [marshall({ ...a, v: 1 })] } });
    expect(await getTogether([a, b, { pk: 'C', sk: 'S' }])).toEqual([
      { ...a, v: 1 },
      { ...b, v: 2 },
      undefined,
    ]);
    expect(
      dynamo.commandCalls(BatchGetItemCommand)[1]?.args[0].input.RequestItems?.[tableName()]?.Keys,
    ).toEqual([marshall(a)]);
  });
});
