import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '#data/table.ts';

/**
 * Creates the single table as the CDK stack defines it (on-demand, gsi1, its stream); a table kept
 * from before streams (`--persist`) gets its stream turned on. `stream: false` leaves it off, for
 * tests that read no events: DynamoDB Local's streams slow every write, and tests that time
 * requests (enumeration) would measure the stream, which costs a deployed write no latency.
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  options: { stream?: boolean } = {},
): Promise<void> {
  const { partitionKey, sortKey, gsi1 } = TABLE_SCHEMA;
  const withStream = options.stream ?? true;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        ...(withStream ? { StreamSpecification: streamSpecification } : {}),
        AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: gsi1.indexName,
            KeySchema: [
              { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...gsi1.include] },
          },
        ],
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    if (withStream) await enableStream(client, tableName);
  }
}

const streamSpecification = { StreamEnabled: true, StreamViewType: TABLE_SCHEMA.stream };

/** Turns the table's stream on, unless it is on. */
export async function enableStream(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(
    new UpdateTableCommand({ TableName: tableName, StreamSpecification: streamSpecification }),
  );
}
