// At most one mail a minute per address and purpose. One item per (purpose, address) holds the
// time before which no other mail may go; claiming a slot is a single conditional put.
import { isConditionFailed, tableName } from './client.ts';
import { deleteItem, putItem } from './document.ts';
import { keys } from './keys.ts';

export const MAIL_INTERVAL_SECONDS = 60;

// `notice`: security notices, never rate limited (they must always go out).
export const MAIL_PURPOSES = [
  'signup-confirm',
  'reconfirm',
  'signup-taken',
  'signup-code',
  'reset',
  'email-change',
  'notice',
] as const;
export type MailPurpose = (typeof MAIL_PURPOSES)[number];

export type SlotClaim =
  | { readonly ok: true; readonly until: number }
  | { readonly ok: false; readonly retryAfter: number };

export async function claimMailSlot(purpose: MailPurpose, email: string, now: number): Promise<SlotClaim> {
  const until = now + MAIL_INTERVAL_SECONDS;
  try {
    await putItem({
      TableName: tableName(),
      Item: { ...keys.mailRate(purpose, email), type: 'mailRate', until, expiresAt: until + 3600 },
      ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
      ExpressionAttributeNames: { '#until': 'until' },
      ExpressionAttributeValues: { ':now': now },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    return { ok: true, until };
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
    // The exception carries the old item in wire format ({ N: "..." }), not unmarshalled.
    const held = Number((err as { Item?: { until?: { N?: string } } }).Item?.until?.N ?? until);
    return { ok: false, retryAfter: Math.max(1, held - now) };
  }
}

/**
 * Gives back a slot claimed for a mail that never went (the change it was for failed): only the
 * claim that set `until`, never a later one's.
 */
export async function releaseMailSlot(purpose: MailPurpose, email: string, until: number): Promise<void> {
  try {
    await deleteItem({
      TableName: tableName(),
      Key: keys.mailRate(purpose, email),
      ConditionExpression: '#until = :until',
      ExpressionAttributeNames: { '#until': 'until' },
      ExpressionAttributeValues: { ':until': until },
    });
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
}
