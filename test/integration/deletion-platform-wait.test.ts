// Deletion that waits for the platform (issue 20, part 3): with a cleanup timeout set, the workflow
// claims the deletion, tells the platform (account.deletion_requested with a task token) and waits
// before it cancels billing or purges anything; the platform answers through the Step Functions
// API with the AWS SDK, as deployed. Success goes on to the end; a failure or the timeout leaves
// the account DELETION_FAILED with everything in place; a token used twice, or late, changes nothing.
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { getTombstone } from '#data/deletion.ts';
import { getUser } from '#data/profiles.ts';
import { waitFor } from '../../local/wait.ts';
import { useLocalStepFunctions, userIdOf } from '../support/deletion.ts';
import { useLifecycleEvents } from '../support/events.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { withKey } from '../support/keys.ts';
import { useFakeStripe } from '../support/stripe.ts';

useFakeStripe();
const sfn = useLocalStepFunctions();
const events = useLifecycleEvents();
const platform = () =>
  new SFNClient({
    endpoint: sfn().url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'platform', secretAccessKey: 'platform' },
  });

afterEach(() => {
  delete process.env.PLATFORM_CLEANUP_TIMEOUT_SECONDS;
});

/** An account with a card whose owner asked for its deletion; answers the platform's token. */
async function deletionAsked(tag: string, timeoutSeconds: number) {
  process.env.PLATFORM_CLEANUP_TIMEOUT_SECONDS = String(timeoutSeconds);
  const email = newEmail(tag);
  const key = await activeAccount(email);
  const userId = await userIdOf(email);
  expect((await call('PUT', '/api/payment_methods', withKey(key, { stripe_token: 'tok_visa' }))).status).toBe(
    200,
  );
  const asked = await call(
    'DELETE',
    '/api/users/destroy',
    withKey(key, { email, current_password: PASSWORD }),
  );
  expect(asked.status).toBe(200);
  let token = '';
  await waitFor('the platform to be asked', async () => {
    const requested = events.of(userId).find((e) => e['detail-type'] === 'account.deletion_requested');
    token = String(requested?.detail.taskToken ?? '');
    return token !== '';
  });
  const requested = events.of(userId).find((e) => e['detail-type'] === 'account.deletion_requested');
  const deadline = Date.parse(String(requested?.detail.deadline));
  expect(deadline).toBeGreaterThan(Date.now());
  expect(deadline).toBeLessThanOrEqual(Date.now() + timeoutSeconds * 1000 + 1000);
  return { email, key, userId, token };
}

/** Nothing was cancelled or purged: the profile, still DELETING or failed, keeps its card. */
async function untouched(userId: string, status: string) {
  const user = await getUser(userId);
  expect(user?.status).toBe(status);
  expect(user?.stripeCustomerId).toMatch(/^cus_/);
  expect(await getTombstone(userId)).toBeUndefined();
}

describe('deletion that waits for the platform', () => {
  it('waits before billing and data go, then finishes once the platform reports its cleanup done', async () => {
    const { key, userId, token, email } = await deletionAsked('wait-done', 60);
    // Waiting: the keys are dead, nothing else has changed, and a second request is refused.
    await new Promise((r) => setTimeout(r, 500));
    await untouched(userId, 'DELETING');
    expect(
      (await call('DELETE', '/api/users/destroy', withKey(key, { email, current_password: PASSWORD })))
        .status,
    ).toBe(401);

    await platform().send(new SendTaskSuccessCommand({ taskToken: token, output: '{"appsDestroyed":2}' }));
    await sfn().settled();
    expect(await getUser(userId)).toBeUndefined();
    expect(await getTombstone(userId)).toMatchObject({ userId });
    expect((await events.settled(userId, 4)).map((e) => e['detail-type'])).toEqual([
      'account.created',
      'account.payment_method_changed',
      'account.deletion_requested',
      'account.deleted',
    ]);
    // The same token again: Step Functions' answer for a task that is over, and nothing changes.
    await expect(
      platform().send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('marks the deletion failed, with everything kept, when the platform reports it cannot clean up', async () => {
    const { userId, token } = await deletionAsked('wait-refused', 60);
    await platform().send(
      new SendTaskFailureCommand({
        taskToken: token,
        error: 'Platform.AppsRemain',
        cause: '2 apps are still running',
      }),
    );
    await sfn().settled();
    await untouched(userId, 'DELETION_FAILED');
    expect((await getUser(userId))?.deletionFailure).toMatchObject({ error: 'Platform.AppsRemain' });
    expect(events.of(userId).some((e) => e['detail-type'] === 'account.deleted')).toBe(false);
  });

  it('marks the deletion failed at the timeout, and a success sent after it changes nothing', async () => {
    const { userId, token } = await deletionAsked('wait-late', 2);
    await sfn().settled();
    await untouched(userId, 'DELETION_FAILED');
    expect((await getUser(userId))?.deletionFailure).toMatchObject({ error: 'States.Timeout' });
    await expect(
      platform().send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await untouched(userId, 'DELETION_FAILED');
  });

  it('refuses a token it never gave, and output that is not JSON', async () => {
    await expect(
      platform().send(new SendTaskSuccessCommand({ taskToken: 'made-up', output: '{}' })),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
    const { userId, token } = await deletionAsked('wait-bad-output', 60);
    await expect(
      platform().send(new SendTaskSuccessCommand({ taskToken: token, output: 'done' })),
    ).rejects.toMatchObject({ name: 'InvalidOutput' });
    await untouched(userId, 'DELETING');
    await platform().send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await sfn().settled();
    expect(await getTombstone(userId)).toMatchObject({ userId });
  });
});
