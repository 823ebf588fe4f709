// Step 5 of the deletion workflow: anything that reached the account's partition since the purge
// goes, then the profile is deleted and a tombstone (account id, times, a digest of the address,
// TTL) written, in one transaction. A rerun finds the profile gone and the tombstone there.
import { buryAccount } from '#data/deletion.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { type DeletionInput, step } from './step.ts';

export const handler = step('Tombstone', async ({ userId, execution }: DeletionInput) => ({
  tombstone: await buryAccount(userId, execution, nowSeconds()),
}));
