// The account deletion workflow: its real definition (functions/workflows/account-deletion.asl.json)
// run by aws-local-stepfunctions, each task on the handler its Lambda runs, against DynamoDB
// Local, the local SES and the Stripe stand-in.
import { describe, expect, it } from 'vitest';
import { newKeyRecord, storeApiKey } from '#data/api-keys.ts';
import { recordCustomer } from '#data/billing.ts';
import { countAttempt } from '#data/counters.ts';
import { getTombstone, markDeletionFailed } from '#data/deletion.ts';
import { putEvent } from '#data/events.ts';
import { keys } from '#data/keys.ts';
import { getUser, profileCheck } from '#data/profiles.ts';
import { newApiKey } from '#domain/api-keys.ts';
import { purgeWithin } from '../../functions/workflows/purge.ts';
import { runDeletion } from '../../local/stepfunctions.ts';
import {
  expectGone,
  FAST_RETRIES,
  failOnce,
  GOODBYE,
  leftOf,
  markedForDeletion,
  names,
  richAccount,
  statesOf,
  userIdOf,
} from '../support/deletion.ts';
import { activeAccount } from '../support/flows.ts';
import { useFakeGoogle } from '../support/google.ts';
import { newEmail } from '../support/http.ts';
import { keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { allItems } from '../support/table.ts';

useFakeGoogle();
const stripe = useFakeStripe();

describe('the account deletion workflow', () => {
  it('removes every item of the account and its Stripe customer, mails goodbye, frees the address, and nothing else', async () => {
    const doomed = await richAccount('doomed');
    const bystander = newEmail('bystander');
    const bystanderKey = await activeAccount(bystander);
    const profile = await getUser(doomed.userId);
    const customerId = String(profile?.stripeCustomerId);
    const others = async () => (await allItems()).filter((i) => !names(i, doomed));
    const before = await others();
    // Everything the purge must find is really there.
    const kinds = new Set((await leftOf(doomed)).map((i) => String(i.pk).split('#')[0]));
    for (const kind of [
      'USER',
      'EMAIL',
      'APIKEY',
      'IDENTITY',
      'TOKEN',
      'STRIPECUSTOMER',
      'RATE',
      'SSHKEY',
      'EVENTS',
    ])
      expect(kinds).toContain(kind);

    const run = await runDeletion(await markedForDeletion(doomed.userId));
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run, 'StateEntered')).toEqual([
      'Settings',
      'Claim',
      'Claimed?',
      'CancelBilling',
      'Purge',
      'MoreToPurge?',
      'ReleaseEmail',
      'Goodbye',
      'Tombstone',
      'Deleted',
    ]);

    await expectGone(doomed);
    expect(stripe().customers.get(customerId)?.deleted).toBe(true);
    const goodbyes = (await mailsTo(doomed.email)).filter((m) => m.subject === GOODBYE);
    expect(goodbyes).toHaveLength(1);
    // Others untouched: every item that does not name the doomed account is there, unchanged.
    expect(await others()).toEqual(before);
    expect(await keyStatus(bystanderKey)).toBe(200);
    expect(await keyStatus(doomed.key)).toBe(401);
    // The address is free: a new account, a new id.
    await activeAccount(doomed.email);
    expect(await userIdOf(doomed.email)).not.toBe(doomed.userId);
  });

  /** An account with `events` audit events under it: more than a page of the purge. */
  async function accountWithEvents(tag: string, events: number) {
    const email = newEmail(tag);
    await activeAccount(email);
    const userId = await userIdOf(email);
    const now = Math.floor(Date.now() / 1000);
    await Promise.all(
      Array.from({ length: events }, (_, i) =>
        putEvent({ name: 'login.failed', userId }, now, {
          at: new Date().toISOString(),
          unique: String(i).padStart(6, '0'),
        }),
      ),
    );
    return { email, userId };
  }

  it('purges page after page within one turn of the loop while its time budget lasts', async () => {
    const account = await accountWithEvents('many', 230);
    const run = await runDeletion(await markedForDeletion(account.userId));
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run, 'StateEntered').filter((s) => s === 'Purge')).toHaveLength(1);
    await expectGone(account);
  });

  it('turns the Choice loop when a turn runs out of time with pages left', async () => {
    const account = await accountWithEvents('loop', 230);
    // A budget of nothing: one page (100 items) a turn.
    const run = await runDeletion(await markedForDeletion(account.userId), {
      wrap: (state, handler) => (state === 'Purge' ? (input) => purgeWithin(input as never, 0) : handler),
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run, 'StateEntered').filter((s) => s === 'Purge').length).toBeGreaterThanOrEqual(3);
    await expectGone(account);
  });

  it('pages through the login counters of every source that ever tried the address', async () => {
    const email = newEmail('tried');
    await activeAccount(email);
    const userId = await userIdOf(email);
    const now = Math.floor(Date.now() / 1000);
    // Strangers on 230 sources: a counter each, more than two pages of the purge.
    await Promise.all(
      Array.from({ length: 230 }, (_, i) =>
        countAttempt(keys.loginSource(email, `198.18.${i >> 8}.${i & 255}`), now, 3600),
      ),
    );
    const run = await runDeletion(await markedForDeletion(userId), {
      wrap: (state, handler) => (state === 'Purge' ? (input) => purgeWithin(input as never, 0) : handler),
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run, 'StateEntered').filter((s) => s === 'Purge').length).toBeGreaterThanOrEqual(3);
    await expectGone({ userId, email });
  });

  it('lets no card nor key be added to an account being deleted, and no other execution fail it', async () => {
    const email = newEmail('late-writes');
    await activeAccount(email);
    const userId = await userIdOf(email);
    const input = await markedForDeletion(userId);
    const user = await getUser(userId);
    if (!user) throw new Error('no account');
    // What a request that authenticated just before the deletion request would try.
    expect(await recordCustomer(userId, 'cus_late')).toBe(false);
    // Refused by the profile's guard: nothing written (the data layer answers false, never the SDK's exception).
    expect(
      await storeApiKey(
        newKeyRecord(userId, newApiKey(userId), new Date().toISOString(), { origin: { ip: '192.0.2.1' } }),
        [profileCheck(user)],
      ),
    ).toBe(false);
    expect(
      await markDeletionFailed(
        userId,
        `${userId}-stale`,
        { error: 'x', cause: 'y' },
        new Date().toISOString(),
      ),
    ).toBe(false);
    expect((await getUser(userId))?.status).toBe('DELETING');
    expect((await runDeletion(input)).status).toBe('SUCCEEDED');
    await expectGone({ userId, email });
  });

  it('marks the account DELETION_FAILED and ends failed when a step fails for good, the address still held', async () => {
    const account = await richAccount('broken');
    const run = await runDeletion(await markedForDeletion(account.userId), {
      ...FAST_RETRIES,
      wrap: failOnce('ReleaseEmail', 'ValidationException'),
    });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('DeletionFailed');
    expect(statesOf(run, 'StateCaught')).toEqual(['ReleaseEmail']);
    expect(statesOf(run, 'StateEntered').slice(-2)).toEqual(['MarkFailed', 'DeletionFailed']);
    const user = await getUser(account.userId);
    expect(user).toMatchObject({
      status: 'DELETION_FAILED',
      deletionFailure: {
        error: 'ValidationException',
        cause: expect.stringContaining('ReleaseEmail refused'),
      },
    });
    expect((await leftOf(account)).some((i) => i.pk === `EMAIL#${account.email}`)).toBe(true);
    expect(await getTombstone(account.userId)).toBeUndefined();
  });

  it('gives up after six retries of a step that keeps being throttled', async () => {
    const account = await richAccount('always-throttled');
    let calls = 0;
    const run = await runDeletion(await markedForDeletion(account.userId), {
      ...FAST_RETRIES,
      wrap: (state, handler) => async (input) => {
        if (state !== 'Goodbye') return handler(input);
        calls++;
        throw Object.assign(new Error('slow down'), { name: 'Lambda.TooManyRequestsException' });
      },
    });
    expect(run.status).toBe('FAILED');
    expect(calls).toBe(7);
    expect((await getUser(account.userId))?.status).toBe('DELETION_FAILED');
  });

  it('does nothing for an execution the account is not DELETING under (a withdrawn request)', async () => {
    const email = newEmail('withdrawn');
    const key = await activeAccount(email);
    const userId = await userIdOf(email);
    const run = await runDeletion({ userId, execution: `${userId}-withdrawn` });
    expect(run.status).toBe('SUCCEEDED');
    expect(statesOf(run, 'StateEntered')).toEqual(['Settings', 'Claim', 'Claimed?', 'NotRequested']);
    expect(await keyStatus(key)).toBe(200);
  });
});
