// Step 2 of the deletion workflow, run in a loop while it answers `more`: pages of the account's
// items (keys, identities, audit events) with the lookups they mirror and those the profile names
// (tokens, counters by address). The profile and the email claim stay for later steps. One
// invocation works through pages for up to PURGE_BUDGET_MS, so that even a huge account takes few
// turns of the loop (each turn costs execution history events, of which Step Functions allows 25,000).
import { purgePage } from '#data/deletion.ts';
import { type DeletionInput, step } from './step.ts';

/** Well inside the function's 60 s timeout: a page takes well under a second. */
export const PURGE_BUDGET_MS = 30_000;

export async function purgeWithin(
  { userId, execution }: DeletionInput,
  budgetMs: number,
): Promise<{ deleted: number; more: boolean }> {
  const started = Date.now();
  let deleted = 0;
  for (;;) {
    const page = await purgePage(userId, execution);
    deleted += page.deleted;
    if (!page.more || Date.now() - started >= budgetMs) return { deleted, more: page.more };
  }
}

export const handler = step('Purge', (input: DeletionInput) => purgeWithin(input, PURGE_BUDGET_MS));
