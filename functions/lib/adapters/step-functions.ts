// Starting the account deletion workflow (functions/workflows/). The execution's name is chosen
// when the profile is marked DELETING and kept on it, so every request for the same deletion
// starts the same execution: Step Functions answers a second start with the same name and input
// as the first, and refuses a name already used by a finished one. Locally, and in tests, the SDK
// is pointed at local/stepfunctions.ts (AWS_ENDPOINT_URL_SFN).
import { randomBytes } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { ConfigError, config } from '#shared/config.ts';
import { lazily } from '#shared/lazy.ts';
import { log } from '#shared/log.ts';

// One client per container, made with its SDK on the first start (a chunk of its own, deployed:
// infra/lambda.ts), not at every cold start of the destroy function. Short timeouts and two
// attempts: starting, and withdrawing the request when that fails, must both fit in its 10 s.
type Sdk = typeof import('./step-functions.sdk.ts');
const stepFunctions = lazily(async (): Promise<{ sdk: Sdk; client: SFNClient }> => {
  const sdk = await import('./step-functions.sdk.ts');
  const client = new sdk.SFNClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 2500 },
  });
  return { sdk, client };
});

/** Named after the account, with a suffix so that a withdrawn request does not block a new one. */
export const deletionExecutionName = (userId: string): string =>
  `${userId}-${randomBytes(6).toString('hex')}`;

/**
 * Starts (or finds started) the deletion's execution. False when Step Functions could not be
 * reached or refused, after the SDK's retries: the caller withdraws the request.
 */
export async function startDeletion(userId: string, execution: string): Promise<boolean> {
  const stateMachineArn = config().deletionStateMachineArn;
  if (!stateMachineArn) throw new ConfigError('Missing environment variable DELETION_STATE_MACHINE_ARN');
  try {
    const { sdk, client } = await stepFunctions();
    await client.send(
      new sdk.StartExecutionCommand({
        stateMachineArn,
        name: execution,
        input: JSON.stringify({ userId, execution }),
      }),
    );
    return true;
  } catch (error) {
    // A finished execution of this name: the deletion ran already (its outcome is on the profile).
    if ((error as Error).name === 'ExecutionAlreadyExists') return true;
    log.error('deletion workflow not started', { userId, execution, error });
    return false;
  }
}
