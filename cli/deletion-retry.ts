// Operator command for an account whose deletion failed (status DELETION_FAILED, the deletion
// alarm fired): shows what failed, then runs the whole deletion workflow again under a new
// execution name. Every step is idempotent, so a rerun finishes what the failed run left. Takes
// the address, or the account id from the failed execution's input (the address is no longer
// found once the failed run had released it). Against the table and state machine named by
// TABLE_NAME and DELETION_STATE_MACHINE_ARN (the local stack's by default).
//   npm run deletion:retry -- someone@example.com
//   npm run deletion:retry -- 0b5c…-…   (the account id)
import { deletionFailed, isDeleting } from '#domain/account.ts';
import { useLocalTableByDefault } from '../local/env.ts';

useLocalTableByDefault();

const { markDeletionFailed, NEVER_STARTED_AFTER_SECONDS, retryDeletion } = await import('#data/deletion.ts');
const { getUser, getUserByEmail } = await import('#data/profiles.ts');
const { deletionExecutionName, startDeletion } = await import('#adapters/step-functions.ts');
const { normalizeEmail } = await import('#domain/email.ts');

const [raw, ...extra] = process.argv.slice(2);
if (!raw || extra.length > 0) {
  console.error('Usage: npm run deletion:retry -- EMAIL|ACCOUNT_ID');
  process.exit(2);
}
const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(raw);
let address = '';
try {
  if (!isId) address = normalizeEmail(raw);
} catch {
  console.error(`Neither an email address nor an account id: ${raw}`);
  process.exit(2);
}
const user = isId ? await getUser(raw) : await getUserByEmail(address);
if (!user) {
  console.error(`No account for ${raw}${isId ? '' : ' (once its address is released, give the account id)'}`);
  process.exit(1);
}
// A request whose workflow never started (the request died between marking and starting it).
const lost =
  isDeleting(user) &&
  !user.deletionStartedAt &&
  Date.parse(user.deletionRequestedAt ?? '') < Date.now() - NEVER_STARTED_AFTER_SECONDS * 1000;
if (!deletionFailed(user) && !lost) {
  const detail = isDeleting(user) ? ' (its workflow is running, or was requested moments ago)' : '';
  console.error(
    `The account ${user.userId} is ${user.status}${detail}, not DELETION_FAILED: nothing to retry.`,
  );
  process.exit(1);
}
if (lost)
  console.log(`Deletion of ${user.userId} was requested at ${user.deletionRequestedAt} but never started.`);
const failure = user.deletionFailure;
console.log(
  `Deletion of ${user.userId} failed${failure ? ` at ${failure.at}: ${failure.error}: ${failure.cause}` : ''}`,
);
const execution = deletionExecutionName(user.userId);
const at = new Date().toISOString();
if (!(await retryDeletion(user.userId, execution, at))) {
  console.error('The account changed meanwhile: run the command again.');
  process.exit(1);
}
if (!(await startDeletion(user.userId, execution))) {
  await markDeletionFailed(
    user.userId,
    execution,
    { error: 'NotStarted', cause: 'The retry could not start the workflow' },
    at,
  );
  console.error(
    'The workflow could not be started (see the log above); the account is DELETION_FAILED again.',
  );
  process.exit(1);
}
console.log(`Deletion started again as execution ${execution}. The deletion alarm tells if it fails again.`);
