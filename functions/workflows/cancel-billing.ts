// The deletion workflow's billing step, once the deletion is claimed and the platform (when asked)
// has let go: the Stripe customer is deleted, which ends its subscriptions and removes its cards;
// one already gone counts as done. The account forgets the customer with its lookup, atomically.
import { deleteCustomer } from '#adapters/stripe.ts';
import { forgetCustomer } from '#data/billing.ts';
import { deletingUser } from '#data/deletion.ts';
import { type DeletionInput, step } from './step.ts';

export const handler = step('CancelBilling', async ({ userId, execution }: DeletionInput) => {
  const customerId = (await deletingUser(userId, execution))?.stripeCustomerId;
  if (!customerId) return { customer: 'none' };
  const customer = await deleteCustomer(customerId);
  await forgetCustomer(userId, customerId);
  return { customer };
});
