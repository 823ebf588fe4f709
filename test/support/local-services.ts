// Integration tests: DynamoDB Local and the local SES, started once per run on free ports.
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startLocalSes } from '../../local/ses.ts';
import { freePort } from './ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    mailUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const ses = await startLocalSes(await freePort());
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('mailUrl', ses.url);
  return async () => {
    await ses.stop();
    await dynamo.stop();
  };
}
