// Sending mail that is rate limited per address and purpose. A mail that still fails after the
// SDK's retries is logged and the request goes on: the caller's state change has already landed
// whole, and the user can ask again. The rate slot stays taken: giving it back only where an
// account exists would let a second request tell who has one.
import { claimMailSlot, type MailPurpose } from '#data/mail-rate.ts';
import { log } from '#shared/log.ts';
import type { Mail } from './compose.ts';
import { preloadMail, sendMail } from './send.ts';

/** Sends; false when sending failed (logged). */
export async function deliver(purpose: MailPurpose, to: string, mail: Mail): Promise<boolean> {
  try {
    await sendMail(to, mail);
    return true;
  } catch (error) {
    log.error('mail not sent', { purpose, error });
    return false;
  }
}

export type Delivery = 'sent' | 'throttled' | 'failed';

/** Claims a slot and sends; 'throttled' when a mail of this purpose went out less than a minute ago. */
export async function sendLimitedMail(
  purpose: MailPurpose,
  to: string,
  now: number,
  mail: Mail,
): Promise<Delivery> {
  // The mail client loads while the slot's write is in flight (on a container's first mail).
  preloadMail();
  const slot = await claimMailSlot(purpose, to, now);
  if (!slot.ok) return 'throttled';
  return (await deliver(purpose, to, mail)) ? 'sent' : 'failed';
}
