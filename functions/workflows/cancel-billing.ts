// Step 1 of the deletion workflow. First it claims the deletion named by the execution (from then
// on the request cannot be withdrawn; a withdrawn one ends the workflow here with nothing done).
// Then the Stripe customer is deleted, which ends its subscriptions and removes its cards; one
// already gone counts as done. The account forgets the customer with its lookup, atomically.
import { deleteCustomer } from '#adapters/stripe.ts';
import { forgetCustomer } from '#data/billing.ts';
import { claimDeletion, deletingUser } from '#data/deletion.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { type DeletionInput, isoTime, step } from './step.ts';

export const handler = step('CancelBilling', async ({ userId, execution }: DeletionInput) => {
  const claim = await claimDeletion(userId, execution, isoTime(nowSeconds()));
  if (claim !== 'deleting') return { claim, customer: 'untouched' };
  const customerId = (await deletingUser(userId, execution))?.stripeCustomerId;
  if (!customerId) return { claim, customer: 'none' };
  const customer = await deleteCustomer(customerId);
  await forgetCustomer(userId, customerId);
  return { claim, customer };
});
