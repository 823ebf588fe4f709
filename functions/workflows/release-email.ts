// Step 3 of the deletion workflow: the address is given up only now, after the purge, so that
// nobody can sign up with it while items of the old account are still being removed.
import { releaseEmail } from '#data/deletion.ts';
import { type DeletionInput, step } from './step.ts';

export const handler = step('ReleaseEmail', async ({ userId, execution }: DeletionInput) => ({
  email: await releaseEmail(userId, execution),
}));
