// Sending a mail that is rate limited per address and purpose. A mail that cannot be sent after
// the SDK's retries is logged and its slot given back, so the user can ask again at once; the
// caller's state change has already landed whole, so nothing is half-written.
import { claimMailSlot, type MailPurpose, releaseMailSlot } from '../data/mail-rate.ts';
import { log } from '../log.ts';
import { sendMail } from './send.ts';
import type { Message } from './templates.ts';

/** Sends within a slot already claimed; false when sending failed (logged, slot released). */
export async function deliver(
  purpose: MailPurpose,
  to: string,
  until: number,
  message: Message,
): Promise<boolean> {
  try {
    await sendMail(to, message);
    return true;
  } catch (error) {
    log.error('mail not sent', { purpose, error });
    await releaseMailSlot(purpose, to, until);
    return false;
  }
}

export type Delivery = 'sent' | 'throttled' | 'failed';

/** Claims a slot and sends; 'throttled' when a mail of this purpose went out less than a minute ago. */
export async function sendLimitedMail(
  purpose: MailPurpose,
  to: string,
  now: number,
  message: Message,
): Promise<Delivery> {
  const slot = await claimMailSlot(purpose, to, now);
  if (!slot.ok) return 'throttled';
  return (await deliver(purpose, to, slot.until, message)) ? 'sent' : 'failed';
}
