// The deletion workflow's optional wait for the platform (issue 20; docs/events.md): invoked by
// Step Functions with the waiting task's token, it tells the platform (account.deletion_requested
// with the token and the deadline) and returns; the task ends when the platform answers with
// SendTaskSuccess or SendTaskFailure, or at the deadline. What this returns is not the task's result.
import { requestPlatformCleanup } from '#data/deletion.ts';
import { NotThisDeletionError } from '#domain/errors.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { type DeletionInput, isoTime, step } from './step.ts';

export interface WaitInput extends DeletionInput {
  readonly taskToken: string;
  readonly timeoutSeconds: number;
}

export const handler = step(
  'WaitForPlatform',
  async ({ userId, execution, taskToken, timeoutSeconds }: WaitInput) => {
    const now = nowSeconds();
    const asked = await requestPlatformCleanup(
      userId,
      execution,
      taskToken,
      isoTime(now + timeoutSeconds),
      now,
    );
    if (asked === 'not-deleting')
      throw new NotThisDeletionError(`account ${userId} is not being deleted by ${execution}`);
    return { asked };
  },
);
