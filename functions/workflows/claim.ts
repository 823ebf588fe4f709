// Step 1 of the deletion workflow: claims the deletion named by the execution. From then on the
// request cannot be withdrawn; a withdrawn one ends the workflow with nothing done. The first
// claim tells the platform (account.deletion_requested), unless the workflow is to wait for the
// platform's cleanup: then WaitForPlatform tells it, with the token to answer with.
import { claimDeletion } from '#data/deletion.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { type DeletionInput, isoTime, step } from './step.ts';

export const handler = step(
  'Claim',
  async ({
    userId,
    execution,
    platformCleanupSeconds,
  }: DeletionInput & { platformCleanupSeconds: number }) => ({
    claim: await claimDeletion(userId, execution, isoTime(nowSeconds()), !(platformCleanupSeconds > 0)),
  }),
);
