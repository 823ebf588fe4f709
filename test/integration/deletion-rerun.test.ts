// The account deletion workflow: its real definition (functions/workflows/account-deletion.asl.json)
// run by aws-local-stepfunctions, each task on the handler its Lambda runs, against DynamoDB
// Local, the local SES and the Stripe stand-in.
// Reruns: the process dies after any step, and the whole execution runs again from the start.
import { describe, expect, it } from 'vitest';
import { deleteCustomer } from '#adapters/stripe.ts';
import { claimDeletion, purgePage } from '#data/deletion.ts';
import { getUser } from '#data/profiles.ts';
import { handler as cancelBilling } from '../../functions/workflows/cancel-billing.ts';
import { handler as goodbye } from '../../functions/workflows/goodbye.ts';
import { handler as releaseEmail } from '../../functions/workflows/release-email.ts';
import { handler as tombstone } from '../../functions/workflows/tombstone.ts';
import { runDeletion } from '../../local/stepfunctions.ts';
import { expectGone, GOODBYE, markedForDeletion, richAccount } from '../support/deletion.ts';
import { useFakeGoogle } from '../support/google.ts';
import { mailsTo } from '../support/mail.ts';
import { useFakeStripe } from '../support/stripe.ts';

useFakeGoogle();
useFakeStripe();

describe('reruns of the account deletion workflow', () => {
  // A crash after step k (the process dies; Step Functions' Catch never runs), then the whole
  // execution is run again from the start: it must finish cleanly, and send one goodbye.
  const upTo: Record<string, (input: { userId: string; execution: string }) => Promise<unknown>> = {
    'deleting the Stripe customer, inside CancelBilling': async (input) => {
      const customer = (await getUser(input.userId))?.stripeCustomerId;
      expect(customer).toBeDefined();
      await claimDeletion(input.userId, input.execution, new Date().toISOString());
      await deleteCustomer(String(customer));
    },
    CancelBilling: (input) => cancelBilling(input),
    'Purge (one small page)': (input) => purgePage(input.userId, input.execution, 3),
    ReleaseEmail: (input) => releaseEmail(input),
    Goodbye: (input) => goodbye(input),
    Tombstone: (input) => tombstone(input),
  };
  const steps = Object.entries(upTo);
  steps.forEach(([name], k) => {
    it(`finishes cleanly when rerun after a crash after ${name}`, async () => {
      const account = await richAccount(`crash-${k}`);
      const input = await markedForDeletion(account.userId);
      for (const [, run] of steps.slice(0, k + 1)) await run(input);
      const rerun = await runDeletion(input);
      expect(rerun.status).toBe('SUCCEEDED');
      await expectGone(account);
      expect((await mailsTo(account.email)).filter((m) => m.subject === GOODBYE)).toHaveLength(1);
    });
  });
});
