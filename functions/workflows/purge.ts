// Step 2 of the deletion workflow, run in a loop while it answers `more`: one page of the
// account's items (keys, identities, audit events) with the lookups they mirror and those the
// profile names (tokens, counters by address). The profile and the email claim stay for later steps.
import { purgePage } from '../lib/data/deletion.ts';
import { type DeletionInput, step } from './step.ts';

export const handler = step('Purge', ({ userId }: DeletionInput) => purgePage(userId));
