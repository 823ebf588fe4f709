import 'aws-sdk-client-mock-vitest/extend';
// Each integration test file gets its own fresh table; handlers read it from the environment,
// which is set here before any of them is imported.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { devMfaKey, localEnvironment } from '../../local/stack.ts';
import { createTable } from '../../local/table.ts';

const tableName = `test-${randomUUID()}`;
Object.assign(
  process.env,
  localEnvironment({
    dynamoEndpoint: inject('dynamoEndpoint'),
    mailUrl: inject('mailUrl'),
    tableName,
    apiUrl: 'https://accounts.gatehouse.test',
    mfaKey: await devMfaKey(),
  }),
  { LOG_LEVEL: 'silent' },
);
// No stream: test/support/events.ts turns it on for the files that read events.
await createTable(new DynamoDBClient({}), tableName, { stream: false });
