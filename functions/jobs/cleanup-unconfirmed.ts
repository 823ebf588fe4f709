// Scheduled job: removes accounts never confirmed within the retention (7 days by default).
// Finds them through the sparse UNCONFIRMED index, shard by shard (never a Scan); deletes each in
// a transaction conditioned on it still being UNCONFIRMED, so a user who confirms during the run
// is kept; stops before its deadline and leaves the rest to the next run; a second or duplicate
// run finds nothing left to do. Abandoned staged signups need none of this: TTL ends them.

import { UNCONFIRMED_SHARDS } from '#data/keys.ts';
import { deleteUnconfirmedUser, staleUnconfirmed } from '#data/unconfirmed.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { config } from '#shared/config.ts';
import { log } from '#shared/log.ts';

export interface CleanupOptions {
  /** Epoch seconds: the clock, injectable for tests. */
  readonly now: number;
  readonly retentionSeconds: number;
  /** Asked before each page: true when the run must end now (its deadline is near). */
  readonly shouldStop: () => boolean;
  readonly pageSize?: number;
}

export interface CleanupSummary {
  readonly examined: number;
  readonly deleted: number;
  /** Confirmed meanwhile, or removed by another run. */
  readonly skipped: number;
  readonly stoppedEarly: boolean;
}

export async function cleanupUnconfirmed(options: CleanupOptions): Promise<CleanupSummary> {
  const cutoff = new Date((options.now - options.retentionSeconds) * 1000).toISOString();
  let examined = 0;
  let deleted = 0;
  let stoppedEarly = false;
  shards: for (let shard = 0; shard < UNCONFIRMED_SHARDS; shard++) {
    for await (const page of staleUnconfirmed(shard, cutoff, options.pageSize)) {
      if (options.shouldStop()) {
        stoppedEarly = true;
        break shards;
      }
      const results = await Promise.all(page.map((candidate) => deleteUnconfirmedUser(candidate, cutoff)));
      examined += page.length;
      deleted += results.filter(Boolean).length;
    }
  }
  const summary = { examined, deleted, skipped: examined - deleted, stoppedEarly };
  log.info('cleanup of unconfirmed signups', { cutoff, ...summary });
  return summary;
}

/** What the job needs of the Lambda context. */
interface Deadline {
  getRemainingTimeInMillis(): number;
}

/** Leave this much of the timeout unused: a page of deletes finishes well within it. */
const SAFETY_MS = 30_000;

export const handler = (_event: unknown, context: Deadline): Promise<CleanupSummary> =>
  cleanupUnconfirmed({
    now: nowSeconds(),
    retentionSeconds: config().unconfirmedRetentionDays * 24 * 3600,
    shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MS,
  });
