// Step 4 of the deletion workflow: the goodbye notice, to the address the profile still holds (the
// workflow's state never carries it). Noted once sent, so a rerun skips it (a crash between sending
// and noting sends it twice: at least once, never lost). A transient SES failure is
// retried by the workflow; a refusal (a bounced or suppressed address) is logged, not a reason to
// keep the account.
import { deletingUser, markGoodbyeSent } from '#data/deletion.ts';
import { isSuspended } from '#domain/account.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { sendMail } from '#email/send.ts';
import { log } from '#shared/log.ts';
import { type DeletionInput, isoTime, isTransient, step } from './step.ts';

export const handler = step('Goodbye', async ({ userId, execution }: DeletionInput) => {
  const user = await deletingUser(userId, execution);
  if (!user || user.goodbyeSentAt) return { goodbye: 'sent before' };
  const now = nowSeconds();
  const requested = user.deletionRequestedAt ? new Date(user.deletionRequestedAt) : new Date(now * 1000);
  // A suspended account is mailed nothing but the notice of its suspension; the owner's deletion
  // request had its answer.
  let goodbye = isSuspended(user) ? 'suspended' : 'sent';
  try {
    if (goodbye === 'sent') await sendMail(user.email, ['accountDeletedNotice', requested]);
  } catch (error) {
    if (isTransient(error)) throw error;
    log.warn('goodbye notice refused', { userId, error });
    goodbye = 'refused';
  }
  await markGoodbyeSent(userId, execution, isoTime(now));
  return { goodbye };
});
