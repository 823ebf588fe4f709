// The account deletion workflow: its real definition (functions/workflows/account-deletion.asl.json)
// run by aws-local-stepfunctions, each task on the handler its Lambda runs, against DynamoDB
// Local, the local SES and the Stripe stand-in.
// Failure injection: every task throttled once, and a Stripe outage, are retried to the end.
import { describe, expect, it } from 'vitest';
import { runDeletion } from '../../local/stepfunctions.ts';
import {
  expectGone,
  FAST_RETRIES,
  failOnce,
  markedForDeletion,
  richAccount,
  statesOf,
} from '../support/deletion.ts';
import { useFakeGoogle } from '../support/google.ts';
import { useFakeStripe } from '../support/stripe.ts';

useFakeGoogle();
const stripe = useFakeStripe();

const TASKS = ['Claim', 'CancelBilling', 'Purge', 'ReleaseEmail', 'Goodbye', 'Tombstone'] as const;

describe('retries of the account deletion workflow', () => {
  for (const state of TASKS) {
    it(`retries ${state} after Lambda throttling, and finishes`, async () => {
      const account = await richAccount(`throttled-${state.toLowerCase()}`);
      const run = await runDeletion(await markedForDeletion(account.userId), {
        ...FAST_RETRIES,
        wrap: failOnce(state, 'Lambda.TooManyRequestsException'),
      });
      expect(run.status).toBe('SUCCEEDED');
      expect(statesOf(run, 'StateRetried')).toEqual([state]);
      expect(statesOf(run, 'StateCaught')).toEqual([]);
      await expectGone(account);
    });
  }

  it('retries a Stripe outage (a transient failure of its own) and finishes', async () => {
    const account = await richAccount('stripe-down');
    // Two failures: the SDK's own retry, then the step fails as transient and the workflow retries.
    stripe().failNext(503, 2);
    const run = await runDeletion(await markedForDeletion(account.userId), FAST_RETRIES);
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run, 'StateRetried')).toEqual(['CancelBilling']);
    await expectGone(account);
  });
});
