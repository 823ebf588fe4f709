// How a deletion step's failure reaches Step Functions: transient ones as Gatehouse.Transient (the
// definition retries them), anything else under its own name (the Catch marks DELETION_FAILED).
import { describe, expect, it } from 'vitest';
import { NotThisDeletionError, TransientError, UnavailableError } from '#domain/errors.ts';
import { step } from '../../../functions/workflows/step.ts';

const failing = (error: unknown) => step('Test', async (_: { userId: string }) => Promise.reject(error));
const nameOf = async (error: unknown) =>
  failing(error)({ userId: 'u' }).then(
    () => 'resolved',
    (thrown: Error) => thrown.name,
  );
const aws = (name: string, status: number, extra: object = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('a deletion step', () => {
  it('passes its result through', async () => {
    expect(
      await step('Test', async ({ userId }: { userId: string }) => ({ userId }))({ userId: 'u' }),
    ).toEqual({
      userId: 'u',
    });
  });

  it.each([
    ['DynamoDB throttling', aws('ProvisionedThroughputExceededException', 400)],
    ['SES throttling', aws('Throttling', 400)],
    ['a 5xx', aws('InternalServerError', 500)],
    ['a retryable SDK error', Object.assign(new Error('x'), { name: 'Whatever', $retryable: {} })],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['Stripe unavailable (our 503)', new UnavailableError('down')],
    ['DynamoDB leaving items unprocessed', new TransientError('left')],
    [
      'a transaction cancelled by a conflict',
      aws('TransactionCanceledException', 400, {
        CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
      }),
    ],
  ])('names %s Gatehouse.Transient', async (_what, error) => {
    expect(await nameOf(error)).toBe('Gatehouse.Transient');
  });

  it.each([
    ['a failed condition', aws('ConditionalCheckFailedException', 400)],
    [
      'a transaction cancelled by a condition',
      aws('TransactionCanceledException', 400, {
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }],
      }),
    ],
    ['a validation error', aws('ValidationException', 400)],
    ['an account no longer this deletion’s', new NotThisDeletionError('no')],
    ['a plain bug', new TypeError('x is undefined')],
  ])('leaves %s under its own name', async (_what, error) => {
    expect(await nameOf(error)).toBe((error as Error).name);
  });
});
