// The tokens behind mailed links (TOKEN#<digest>): one item each, naming its purpose, its account
// and its expiry. Putting, spending (only while live: the race guard), killing and reading them.
import { InvalidTokenError } from '#domain/errors.ts';
import { INVALID_LINK } from '#domain/messages.ts';
import { type TransactItem, tableName } from './client.ts';
import { getItem } from './document.ts';
import { keys } from './keys.ts';

const PURPOSES = ['confirm-email', 'reset-password', 'email-change', 'email-revoke'] as const;
export type TokenPurpose = (typeof PURPOSES)[number];
const isPurpose = (value: unknown): value is TokenPurpose => PURPOSES.includes(value as TokenPurpose);

export interface TokenItem {
  readonly purpose: TokenPurpose;
  readonly userId: string;
  readonly expiresAt: number;
}

export interface NewToken {
  readonly hash: string;
  readonly expiresAt: number;
}

export const tokenPut = (
  token: NewToken,
  userId: string,
  purpose: TokenPurpose = 'confirm-email',
): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.token(token.hash),
      type: 'token',
      purpose,
      userId,
      expiresAt: token.expiresAt,
    },
  },
});

/** Spends a link: its token goes, only while it exists and is unexpired (the race guard). */
export const spendLink = (tokenHash: string, now: number): TransactItem => ({
  Delete: {
    TableName: tableName(),
    Key: keys.token(tokenHash),
    ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
    ExpressionAttributeValues: { ':now': now },
  },
});

/** The token of a link, while it exists, serves `purpose` and has not expired. */
export async function liveToken(tokenHash: string, purpose: TokenPurpose, now: number): Promise<TokenItem> {
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.token(tokenHash),
    ConsistentRead: true,
  });
  const token = Item ? tokenOf(Item) : undefined;
  if (token?.purpose !== purpose) throw new InvalidTokenError('token', INVALID_LINK);
  if (token.expiresAt <= now) {
    throw new InvalidTokenError('token', 'This link has expired. Request a new one.');
  }
  return token;
}

/** Kills a link that is no longer the account's: its token item goes (whether or not it is still there). */
export const tokenDelete = (tokenHash: string): TransactItem => ({
  Delete: { TableName: tableName(), Key: keys.token(tokenHash) },
});

/** A token item as its fields; one of no known purpose serves none. */
export function tokenOf(item: Record<string, unknown>): TokenItem | undefined {
  const { purpose, userId, expiresAt } = item;
  if (!isPurpose(purpose)) return undefined;
  if (typeof userId !== 'string' || typeof expiresAt !== 'number') return undefined;
  return { purpose, userId, expiresAt };
}

/** The refusal of a transaction that spends a link: the link was used, replaced or expired meanwhile. */
export const linkRefused = (): never => {
  throw new InvalidTokenError('token', INVALID_LINK);
};
