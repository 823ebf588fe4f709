// `npm run cleanup`: one run of the cleanup of unconfirmed signups, against the local stack's
// table by default (see local/env.ts).
import { useLocalTableByDefault } from './env.ts';

useLocalTableByDefault();
process.env.LOG_LEVEL ??= 'info';
const { cleanupUnconfirmed } = await import('../functions/jobs/cleanup-unconfirmed.ts');
const { config } = await import('#shared/config.ts');
const { nowSeconds } = await import('#domain/tokens.ts');

const summary = await cleanupUnconfirmed({
  now: nowSeconds(),
  retentionSeconds: config().unconfirmedRetentionDays * 24 * 3600,
  shouldStop: () => false,
});
console.log(
  `Removed ${summary.deleted} unconfirmed signup(s) of ${summary.examined} found (${summary.skipped} confirmed meanwhile).`,
);
