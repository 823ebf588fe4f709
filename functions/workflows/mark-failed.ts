// The deletion workflow's Catch: a step failed for good (or ran out of retries). The account is
// marked DELETION_FAILED with what failed, and the execution ends in its Fail state, which the
// failed-executions alarm reports. docs/operations.md says what to do next.
import { markDeletionFailed } from '#data/deletion.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { type DeletionInput, isoTime, step } from './step.ts';

interface FailedInput extends DeletionInput {
  /** What Step Functions caught: the error's name and its cause (message or JSON). */
  readonly failure?: { readonly Error?: string; readonly Cause?: string };
}

export const handler = step('MarkFailed', async ({ userId, execution, failure }: FailedInput) => ({
  marked: await markDeletionFailed(
    userId,
    execution,
    { error: String(failure?.Error ?? 'unknown'), cause: String(failure?.Cause ?? '').slice(0, 1000) },
    isoTime(nowSeconds()),
  ),
}));
