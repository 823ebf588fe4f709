// A console login between its two factors (CHALLENGE#<digest of the browser's secret>): the
// password passed for this account, with MFA as it was then; the browser brings the secret back in
// a cookie with its code. Kept minutes (TTL, and checked on read); spent once.
import { isConditionFailed, tableName } from './client.ts';
import { deleteItem, getItem, putItem } from './document.ts';
import { keys } from './keys.ts';

export interface LoginChallenge {
  readonly userId: string;
  /** The MFA the password step met: a code for another (MFA off and on again) proves nothing. */
  readonly mfaEnabledAt?: string;
  readonly expiresAt: number;
}

export async function putLoginChallenge(secretHash: string, challenge: LoginChallenge): Promise<void> {
  await putItem({
    TableName: tableName(),
    Item: { ...keys.loginChallenge(secretHash), type: 'loginChallenge', ...challenge },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

/** The live challenge of this secret, if any. */
export async function getLoginChallenge(
  secretHash: string,
  now: number,
): Promise<LoginChallenge | undefined> {
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.loginChallenge(secretHash),
    ConsistentRead: true,
  });
  if (!Item || Number(Item.expiresAt) <= now) return undefined;
  return {
    userId: String(Item.userId),
    mfaEnabledAt: typeof Item.mfaEnabledAt === 'string' ? Item.mfaEnabledAt : undefined,
    expiresAt: Number(Item.expiresAt),
  };
}

/** Spends the challenge; false when it was spent already (a second post of the same form). */
export async function spendLoginChallenge(secretHash: string): Promise<boolean> {
  try {
    await deleteItem({
      TableName: tableName(),
      Key: keys.loginChallenge(secretHash),
      ConditionExpression: 'attribute_exists(pk)',
    });
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}
