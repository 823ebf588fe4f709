// The tasks of the account deletion workflow (account-deletion.asl.json), one Lambda each. The CDK
// stack makes each function with exactly the access its row names and substitutes its ARN into
// the definition; the local stack and the tests run the same definition with each state mapped to
// the same handler, in process.
import { join } from 'node:path';

export interface DeletionStep {
  /** The Task state's name in the definition. */
  readonly state: string;
  /** Names the function and its log group. */
  readonly id: string;
  /** File under functions/ exporting `handler`. */
  readonly entry: string;
  /**
   * Invoked by a `.waitForTaskToken` Task (its ARN is the Parameters' FunctionName, not the
   * Resource): the task waits for a callback after the function returns.
   */
  readonly callback?: boolean;
  /** AWS access of this function, and nothing more (infra/deletion.ts). */
  readonly access: {
    /** Table actions on the base table (never an index). */
    readonly table: readonly string[];
    readonly mail?: boolean;
    /** Deletes the Stripe customer: may read the secret key. */
    readonly stripe?: boolean;
  };
}

export const DEFINITION_FILE = join(import.meta.dirname, 'account-deletion.asl.json');

/** The definition's placeholder for a state's function ARN: `${<State>FunctionArn}`. */
export const substitutionOf = (step: DeletionStep): string => `${step.state}FunctionArn`;

/** The definition's placeholder for the platform cleanup's timeout in seconds ("0": no wait). */
export const PLATFORM_CLEANUP_SUBSTITUTION = 'PlatformCleanupSeconds';

const PURGE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'] as const;

/** A step that writes an event holds PutItem: its outbox item goes in the transaction of its change. */
export const deletionSteps: readonly DeletionStep[] = [
  {
    state: 'Claim',
    id: 'deletion-claim',
    entry: 'workflows/claim.ts',
    // The claim (update) and its event (put), one transaction; the profile read on a rerun.
    access: { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'] },
  },
  {
    state: 'WaitForPlatform',
    id: 'deletion-wait-for-platform',
    entry: 'workflows/wait-for-platform.ts',
    callback: true,
    access: { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'] },
  },
  {
    state: 'CancelBilling',
    id: 'deletion-cancel-billing',
    entry: 'workflows/cancel-billing.ts',
    // Forgetting the customer: the profile's update and its lookup's delete.
    access: { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], stripe: true },
  },
  { state: 'Purge', id: 'deletion-purge', entry: 'workflows/purge.ts', access: { table: PURGE_ACTIONS } },
  {
    state: 'ReleaseEmail',
    id: 'deletion-release-email',
    entry: 'workflows/release-email.ts',
    access: { table: ['dynamodb:GetItem', 'dynamodb:DeleteItem'] },
  },
  {
    state: 'Goodbye',
    id: 'deletion-goodbye',
    entry: 'workflows/goodbye.ts',
    access: { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], mail: true },
  },
  {
    state: 'Tombstone',
    id: 'deletion-tombstone',
    entry: 'workflows/tombstone.ts',
    // A last purge pass, then the profile's delete and the tombstone's put in one transaction.
    access: { table: [...PURGE_ACTIONS, 'dynamodb:DeleteItem', 'dynamodb:PutItem'] },
  },
  {
    state: 'MarkFailed',
    id: 'deletion-mark-failed',
    entry: 'workflows/mark-failed.ts',
    access: { table: ['dynamodb:UpdateItem'] },
  },
];
