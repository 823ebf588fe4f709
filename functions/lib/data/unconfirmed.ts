// Signups never confirmed: the sparse index that lists them by age (gsi1, sharded), and their
// removal by the cleanup, only while they are still unconfirmed and old enough.
import { STATUS } from '#domain/account.ts';
import { type TransactItem, tableName, transactOutcome } from './client.ts';
import { queryItems } from './document.ts';
import { keys, unconfirmedShard, userIdOf } from './keys.ts';
import { releaseEmailClaim } from './profiles.ts';
import { TABLE_SCHEMA } from './table.ts';
import { tokenDelete } from './tokens.ts';

/** An UNCONFIRMED account the cleanup may remove, as the sparse index shows it. */
export interface StaleCandidate {
  readonly userId: string;
  readonly email: string;
  readonly createdAt: string;
  readonly confirmTokenHash?: string;
}

/** Pages of UNCONFIRMED accounts of one index shard created before `cutoff` (ISO time), oldest first. */
export async function* staleUnconfirmed(
  shard: number,
  cutoff: string,
  pageSize = 100,
): AsyncGenerator<StaleCandidate[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await queryItems({
      TableName: tableName(),
      IndexName: TABLE_SCHEMA.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk < :cutoff',
      ExpressionAttributeValues: { ':shard': unconfirmedShard(shard), ':cutoff': cutoff },
      Limit: pageSize,
      ExclusiveStartKey: start,
    });
    const items = (page.Items ?? []).map((item) => ({
      userId: userIdOf(String(item.pk)),
      email: String(item.email),
      createdAt: String(item.gsi1sk),
      confirmTokenHash: item.confirmTokenHash === undefined ? undefined : String(item.confirmTokenHash),
    }));
    if (items.length > 0) yield items;
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Removes a never-confirmed account: profile, email claim and confirmation token together, only
 * while it is still UNCONFIRMED and older than `cutoff`. False when it was confirmed meanwhile or
 * is gone already (a second run, a duplicate invocation): then nothing is written.
 */
export async function deleteUnconfirmedUser(candidate: StaleCandidate, cutoff: string): Promise<boolean> {
  const items: TransactItem[] = [
    {
      Delete: {
        TableName: tableName(),
        Key: keys.user(candidate.userId),
        ConditionExpression: '#status = :unconfirmed AND createdAt < :cutoff',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':unconfirmed': STATUS.unconfirmed, ':cutoff': cutoff },
      },
    },
    releaseEmailClaim(candidate.email, candidate.userId),
  ];
  if (candidate.confirmTokenHash) {
    items.push(tokenDelete(candidate.confirmTokenHash));
  }
  return transactOutcome(items, true, (failedAt) => (failedAt(0) || failedAt(1) ? false : undefined));
}
