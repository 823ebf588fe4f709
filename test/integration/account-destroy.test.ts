// DELETE /api/users/destroy, through the local Step Functions stand-in, which runs the real
// deletion workflow against DynamoDB Local, the local SES and the Stripe stand-in.
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { getUser } from '#data/profiles.ts';
import { ACCOUNT_DELETING } from '#domain/messages.ts';
import { DELETION_NOT_STARTED, DELETION_STARTED } from '#services/account-deletion.ts';
import { expectGone, GOODBYE, useLocalStepFunctions, userIdOf } from '../support/deletion.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { keyStatus, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import {
  codeAt,
  FRESH_FACTOR_NEEDED,
  mfaAccount,
  mfaKey,
  outsideRecentWindow,
  wrongCode,
} from '../support/mfa.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { suspended } from '../support/suspension.ts';
import { allItems } from '../support/table.ts';

const sfn = useLocalStepFunctions();
useFakeStripe();

const destroy = (key: string, body: Record<string, unknown>) =>
  call('DELETE', '/api/users/destroy', withKey(key, body));

const executionsOf = (userId: string) =>
  [...sfn().executions.values()].filter((e) => e.name.startsWith(userId));

describe('DELETE /api/users/destroy', () => {
  afterEach(() => {
    mockClient(SFNClient).restore();
  });

  it('deletes the account: every key stops at once, then everything goes and the address is free', async () => {
    const email = newEmail('destroy');
    const key = await activeAccount(email);
    const userId = await userIdOf(email);
    const res = await destroy(key, { email, current_password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: DELETION_STARTED, status: 'deleting' } });
    expect(await keyStatus(key)).toBe(401);

    await sfn().settled();
    expect(executionsOf(userId).map((e) => e.status)).toEqual(['SUCCEEDED']);
    await expectGone({ userId, email });
    expect((await mailsTo(email)).filter((m) => m.subject === GOODBYE)).toHaveLength(1);
    expect((await login(email)).status).toBe(401);
    await activeAccount(email);
  });

  it('deletes a suspended account when its owner asks, sending no goodbye', async () => {
    const email = newEmail('destroy-suspended');
    const key = await activeAccount(email);
    const userId = await userIdOf(email);
    await suspended(email);
    const mails = (await mailsTo(email)).length;
    const res = await destroy(key, { email, current_password: PASSWORD });
    expect(res.status, await res.clone().text()).toBe(200);
    await sfn().settled();
    expect(executionsOf(userId).map((e) => e.status)).toEqual(['SUCCEEDED']);
    await expectGone({ userId, email });
    expect((await mailsTo(email)).length).toBe(mails);
  });

  it('wants the address typed again and the current password; a wrong one changes nothing', async () => {
    const email = newEmail('reauth');
    const key = await activeAccount(email);
    const cases: [Record<string, unknown>, number, Record<string, string[]>][] = [
      [{ email, current_password: 'not my password at all' }, 401, { current_password: ['is incorrect'] }],
      [
        { email: newEmail('other'), current_password: PASSWORD },
        400,
        { email: ['is not the address of this account'] },
      ],
      [{ email }, 400, { current_password: ["can't be blank"] }],
      [{ current_password: PASSWORD }, 400, { email: ["can't be blank"] }],
    ];
    for (const [body, status, errors] of cases) {
      const res = await destroy(key, body);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ errors });
    }
    expect(await keyStatus(key)).toBe(200);
    expect((await getUser(await userIdOf(email)))?.status).toBe('ACTIVE');
    expect(executionsOf(await userIdOf(email))).toEqual([]);
  });

  it('takes a key fresh from an MFA login as the second factor, as the Gigalixir client sends none', async () => {
    const account = await mfaAccount(newEmail('destroy-recent'));
    const key = await mfaKey(account, 0);
    const userId = await userIdOf(account.email);
    const wrong = await destroy(key, { email: account.email, current_password: 'not the password' });
    expect(wrong.status).toBe(401);
    const res = await destroy(key, { email: account.email, current_password: PASSWORD });
    expect(res.status).toBe(200);
    await sfn().settled();
    expect(executionsOf(userId).map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('wants a current code as well when MFA is on and the key’s login is not recent', async () => {
    const account = await mfaAccount(newEmail('destroy-mfa'));
    const key = await mfaKey(account, 0);
    await outsideRecentWindow(key);
    const userId = await userIdOf(account.email);
    const body = { email: account.email, current_password: PASSWORD };
    const bare = await destroy(key, body);
    expect(bare.status).toBe(400);
    expect(await bare.json()).toEqual({ errors: { mfa_token: [FRESH_FACTOR_NEEDED] } });
    const wrong = await destroy(key, { ...body, mfa_token: wrongCode(account.secret) });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ errors: { mfa_token: ['is incorrect or was used already'] } });
    expect(await keyStatus(key)).toBe(200);

    const res = await destroy(key, { ...body, mfa_token: codeAt(account.secret, 1) });
    expect(res.status).toBe(200);
    await sfn().settled();
    expect(executionsOf(userId).map((e) => e.status)).toEqual(['SUCCEEDED']);
    await expectGone({ userId, email: account.email });
  });

  it('answers 409 when the account changed between the read and the mark, and deletes nothing', async () => {
    const email = newEmail('changed');
    const key = await activeAccount(email);
    const userId = await userIdOf(email);
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => touchProfile(userId, { creditCents: 500 }),
      (input) => JSON.stringify(input).includes('DELETING'),
    );
    const res = await destroy(key, { email, current_password: PASSWORD });
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errors: { '': ['The account changed meanwhile. Try again.'] } });
    expect(await keyStatus(key)).toBe(200);
    const user = await getUser(userId);
    expect(user).toMatchObject({ status: 'ACTIVE', creditCents: 500 });
    expect(user?.deletionExecution).toBeUndefined();
    expect(executionsOf(userId)).toEqual([]);
    const events = (await allItems()).filter((i) => i.type === 'event' && i.userId === userId);
    expect(events.map((e) => e.event)).not.toContain('account.deletion_requested');
  });

  it('starts one execution for two requests at once', async () => {
    const email = newEmail('twice');
    const key = await activeAccount(email);
    const userId = await userIdOf(email);
    const body = { email, current_password: PASSWORD };
    const answers = await Promise.all([destroy(key, body), destroy(key, body)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    await sfn().settled();
    expect(executionsOf(userId)).toHaveLength(1);
    await expectGone({ userId, email });
    expect((await mailsTo(email)).filter((m) => m.subject === GOODBYE)).toHaveLength(1);
  });

  it('withdraws the request when Step Functions cannot be reached: 503, the keys work again, nothing is deleted', async () => {
    const email = newEmail('no-sfn');
    const key = await activeAccount(email);
    const userId = await userIdOf(email);
    const states = mockClient(SFNClient);
    states
      .on(StartExecutionCommand)
      .rejects(
        Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' }),
      );
    const res = await destroy(key, { email, current_password: PASSWORD });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toEqual({ errors: { '': [DELETION_NOT_STARTED] } });
    expect(await keyStatus(key)).toBe(200);
    const user = await getUser(userId);
    expect(user?.status).toBe('ACTIVE');
    expect(user?.deletionExecution).toBeUndefined();

    states.restore();
    expect((await destroy(key, { email, current_password: PASSWORD })).status).toBe(200);
    await sfn().settled();
    await expectGone({ userId, email });
  });

  it('tells the owner who logs in meanwhile that the account is being deleted', async () => {
    const email = newEmail('meanwhile');
    const key = await activeAccount(email);
    const states = mockClient(SFNClient);
    // Started, as far as the endpoint knows; the workflow never runs, so the account stays DELETING.
    states.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    expect((await destroy(key, { email, current_password: PASSWORD })).status).toBe(200);
    const res = await login(email);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: { '': [ACCOUNT_DELETING] } });
    expect((await login(email, 'a wrong password entirely')).status).toBe(401);
    expect(await keyStatus(key)).toBe(401);
  });
});
