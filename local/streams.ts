// The table's stream, locally: what the Lambda event source mapping does for the deployed
// publisher, done by polling DynamoDB Local's stream (every shard, parents before children, from
// the oldest record) and handing each batch of records to the same handler. A batch item failure
// makes it read again from the record reported, after a pause, as the mapping retries.
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamBatchResult, StreamRecord } from '../functions/platform/publisher.ts';

export interface StreamPoller {
  stop(): Promise<void>;
}

type Handler = (event: { Records: StreamRecord[] }) => Promise<StreamBatchResult>;

export async function startStreamPoller(options: {
  readonly endpoint: string;
  readonly tableName: string;
  readonly handler: Handler;
  readonly intervalMs?: number;
  /** Pause after a failed batch before it is handed over again. */
  readonly retryMs?: number;
}): Promise<StreamPoller> {
  const { Table } = await new DynamoDBClient({ endpoint: options.endpoint }).send(
    new DescribeTableCommand({ TableName: options.tableName }),
  );
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`the table ${options.tableName} has no stream`);
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint });
  const iterators = new Map<string, string>();
  const finished = new Set<string>();
  let stopped = false;

  const iteratorAt = async (shardId: string, sequenceNumber?: string) =>
    (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(sequenceNumber
            ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: sequenceNumber }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      )
    ).ShardIterator;

  const pollShard = async (shardId: string): Promise<void> => {
    const iterator = iterators.get(shardId) ?? (await iteratorAt(shardId));
    if (!iterator) return void finished.add(shardId);
    let page: { Records?: unknown[]; NextShardIterator?: string };
    try {
      page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    } catch (err) {
      // An iterator kept too long (they last 15 minutes), or one behind records DynamoDB Local
      // has trimmed: start the shard again from its oldest record; the publisher takes what it
      // already put as a redelivery.
      if (err instanceof ExpiredIteratorException || err instanceof TrimmedDataAccessException) {
        iterators.delete(shardId);
        return;
      }
      throw err;
    }
    const { Records = [], NextShardIterator } = page;
    if (Records.length > 0) {
      const { batchItemFailures } = await options.handler({ Records: Records as StreamRecord[] });
      const failed = batchItemFailures[0]?.itemIdentifier;
      if (failed) {
        const again = await iteratorAt(shardId, failed);
        if (again) iterators.set(shardId, again);
        await new Promise((r) => setTimeout(r, options.retryMs ?? 1000));
        return;
      }
    }
    if (NextShardIterator) iterators.set(shardId, NextShardIterator);
    else finished.add(shardId);
  };

  const poll = async () => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shards = StreamDescription?.Shards ?? [];
    const known = new Set(shards.map((s) => s.ShardId));
    for (const shard of shards) {
      const id = shard.ShardId;
      if (!id || finished.has(id)) continue;
      // A child's records come after its parent's.
      if (shard.ParentShardId && known.has(shard.ParentShardId) && !finished.has(shard.ParentShardId))
        continue;
      await pollShard(id);
    }
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        await poll();
      } catch (err) {
        if (!stopped) console.error(`stream poller: ${err instanceof Error ? err.message : String(err)}`);
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
