// DynamoDB cancels a transaction that overlaps another on the same items with TransactionConflict.
// DynamoDB Local runs transactions one at a time and never does, so this is injected here.
import {
  DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';

import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFLICT_RETRIES } from '#data/client.ts';
import { createUnconfirmedUser } from '#data/profiles.ts';
import { EmailTakenError } from '#domain/errors.ts';
import { cancelled } from '../../support/dynamo.ts';

const dynamo = mockClient(DynamoDBClient);
afterEach(() => dynamo.reset());

const conflict = () => cancelled('TransactionConflict', 'None', 'None');

const user = {
  userId: 'u1',
  email: 'alice@example.com',
  passwordHash: 'phc',
  createdAt: '2026-11-28T00:00:00.000Z',
  confirmToken: { hash: 'h', expiresAt: 1 },
};

describe('transactions that conflict with another', () => {
  it('are tried again and land', async () => {
    dynamo.on(TransactWriteItemsCommand).rejectsOnce(conflict()).resolves({});
    await expect(createUnconfirmedUser(user)).resolves.toBeUndefined();
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 2);
  });

  it('meet the winner on the retry: the address is then taken', async () => {
    dynamo
      .on(TransactWriteItemsCommand)
      .rejectsOnce(conflict())
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None', 'None'));
    await expect(createUnconfirmedUser(user)).rejects.toBeInstanceOf(EmailTakenError);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 2);
  });

  it('give up after a bounded number of tries', async () => {
    dynamo.on(TransactWriteItemsCommand).rejects(conflict());
    await expect(createUnconfirmedUser(user)).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 1 + CONFLICT_RETRIES);
  });

  it('do not mistake another cancellation for a taken address', async () => {
    const err = cancelled('None', 'ValidationError', 'None');
    dynamo.on(TransactWriteItemsCommand).rejects(err);
    await expect(createUnconfirmedUser(user)).rejects.toBe(err);
  });

  it('are not retried when a condition failed', async () => {
    dynamo
      .on(TransactWriteItemsCommand)
      .rejects(cancelled('ConditionalCheckFailed', 'TransactionConflict', 'None'));
    await expect(createUnconfirmedUser(user)).rejects.toBeInstanceOf(EmailTakenError);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 1);
  });
});
