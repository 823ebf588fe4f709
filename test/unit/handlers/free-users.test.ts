// Failure injection at the edges: DynamoDB and SES answers that are hard to provoke for real.

import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGNUP_MESSAGE } from '#services/direct-signup.ts';
import { app } from '../../../functions/free-users.ts';
import { cancelled } from '../../support/dynamo.ts';
import { json, PASSWORD } from '../../support/http.ts';

const dynamo = mockClient(DynamoDBClient);
const ses = mockClient(SESClient);

beforeEach(() => {
  dynamo.reset();
  ses.reset();
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({ Attributes: marshall({ count: 1 }) });
  ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
});
afterEach(() => {
  dynamo.reset();
  ses.reset();
});

describe('POST /api/free_users when the address is taken', () => {
  it('answers exactly as for a new address and tells the owner by mail', async () => {
    dynamo.on(TransactWriteItemsCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));
    // The owner is read (a suspended one is told nothing): here the claim's owner is gone meanwhile.
    dynamo.on(GetItemCommand).resolves({});
    const res = await app.request('/api/free_users', {
      method: 'POST',
      ...json({ email: 'Alice@Example.com', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: SIGNUP_MESSAGE } });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    const mail = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(mail?.Destination?.ToAddresses).toEqual(['alice@example.com']);
    expect(mail?.Message?.Subject?.Data).toMatch(/tried to sign up/);
    expect(mail?.Message?.Body?.Text?.Data).not.toMatch(/token=/);
  });
});

describe('POST /api/free_users when DynamoDB fails', () => {
  it('answers a generic 500 with the contract body, and sends no mail', async () => {
    dynamo
      .on(TransactWriteItemsCommand)
      .rejects(new Error('ProvisionedThroughputExceededException: internal detail'));
    const res = await app.request('/api/free_users', {
      method: 'POST',
      ...json({ email: 'bob@example.com', password: PASSWORD }),
    });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ errors: { '': ['Internal server error'] } });
    expect(body).not.toMatch(/internal detail|Provisioned/);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });
});
