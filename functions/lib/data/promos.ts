// Promo codes: credit and a number of uses. All in one partition (`PROMOS`), so operators list
// them with a Query; redemptions are rare enough that one partition never runs hot.
import { isConditionFailed, queryAll, type TransactItem, tableName } from './client.ts';
import { getItem, putItem } from './document.ts';
import { keys } from './keys.ts';

export interface Promo {
  readonly code: string;
  readonly creditCents: number;
  readonly remainingUses: number;
  readonly createdAt: string;
}

/** Creates a promo; false when the code exists already. */
export async function createPromo(promo: Promo): Promise<boolean> {
  try {
    await putItem({
      TableName: tableName(),
      Item: { ...keys.promo(promo.code), type: 'promo', ...promo },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}

export async function getPromo(code: string): Promise<Promo | undefined> {
  const { Item } = await getItem({ TableName: tableName(), Key: keys.promo(code), ConsistentRead: true });
  return Item ? (Item as Promo) : undefined;
}

export const listPromos = async (): Promise<Promo[]> =>
  (await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.promo('').pk },
  })) as unknown as Promo[];

/** Spends one use, in a transaction: the condition keeps the last use from being spent twice. */
export const spendPromoUse = (code: string): TransactItem => ({
  Update: {
    TableName: tableName(),
    Key: keys.promo(code),
    ConditionExpression: 'remainingUses > :zero',
    UpdateExpression: 'SET remainingUses = remainingUses - :one',
    ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
  },
});
