// Direct looks at the test's table, to assert what was (and was not) written, and direct writes
// for the states a test sets up (an expired link, another writer's change): a client of its own,
// apart from the handlers' (which test/support/race.ts intercepts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#data/keys.ts';
import type { MailPurpose } from '#data/mail-rate.ts';

export const direct = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function allItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await direct.send(
      new ScanCommand({ TableName: process.env.TABLE_NAME, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Items that mention `email`, and every item of the users they name (tokens, keys, ...). */
export async function itemsAbout(email: string): Promise<Record<string, unknown>[]> {
  const items = await allItems();
  const userIds = new Set(
    items
      .filter((item) => JSON.stringify(item).includes(email) && item.userId)
      .map((item) => String(item.userId)),
  );
  return items.filter((item) => JSON.stringify(item).includes(email) || userIds.has(String(item.userId)));
}

/** The mail limit is one a minute per address and purpose: opens the slot, as a minute would. */
export const aMinutePasses = (purpose: MailPurpose, address: string) =>
  direct.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: keys.mailRate(purpose, address),
      UpdateExpression: 'SET #until = :past',
      ExpressionAttributeNames: { '#until': 'until' },
      ExpressionAttributeValues: { ':past': 0 },
    }),
  );

/** Wrong passwords and codes counted against the keys of the account at `email`, all keys together. */
export async function reauthFailures(email: string): Promise<number> {
  const items = await allItems();
  const profile = items.find((i) => i.type === 'user' && i.email === email);
  if (!profile) throw new Error(`no account at ${email}`);
  return items
    .filter((i) => i.pk === `USER#${String(profile.userId)}` && String(i.sk).startsWith('REAUTH#'))
    .reduce((sum, i) => sum + Number(i.count ?? 0), 0);
}
