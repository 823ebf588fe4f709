// GET and POST /console/delete: the account deleted from the console, by the API's rules, through
// the local Step Functions stand-in running the real workflow.
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { getUser } from '#data/profiles.ts';
import { DELETION_NOT_STARTED, DELETION_STARTED } from '#services/account-deletion.ts';
import { escapeHtml } from '#shared/html.ts';
import {
  consoleSessionWithCode,
  cookiesOf,
  formTokenIn,
  get,
  post,
  sessionCookie,
  signedInOn,
} from '../support/console.ts';
import { expectGone, GOODBYE, useLocalStepFunctions, userIdOf } from '../support/deletion.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { codeAt, mfaAccount, wrongCode } from '../support/mfa.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { suspended } from '../support/suspension.ts';

const sfn = useLocalStepFunctions();
useFakeStripe();
const PAGE = '/console/delete';
const signedIn = (tag: string) => signedInOn(PAGE, tag);

describe('/console/delete', () => {
  afterEach(() => {
    mockClient(SFNClient).restore();
  });

  it('deletes the account: the session and every key stop at once, then it is gone and a goodbye mailed', async () => {
    const { email, key, cookies, token } = await signedIn('cdel');
    const userId = await userIdOf(email);
    const res = await post(
      PAGE,
      { form_token: token, email: email.toUpperCase(), current_password: PASSWORD },
      cookies,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<p role="status">${escapeHtml(DELETION_STARTED)}</p>`);
    expect(cookiesOf(res)[sessionCookie()]).toBe('');
    expect(await keyStatus(key)).toBe(401);
    expect((await get('/console', cookies)).status).toBe(303);
    await sfn().settled();
    await expectGone({ userId, email });
    expect((await mailsTo(email)).filter((m) => m.subject === GOODBYE)).toHaveLength(1);
  });

  it('says next to its field what is wrong: another address (400), a wrong password (401); nothing is deleted', async () => {
    const { email, key, cookies, token } = await signedIn('cdel-bad');
    const other = await post(
      PAGE,
      { form_token: token, email: newEmail(), current_password: PASSWORD },
      cookies,
    );
    expect(other.status).toBe(400);
    expect(await other.text()).toContain(
      'id="email-problem" role="alert">The address is not the address of this account.',
    );
    const wrong = await post(
      PAGE,
      { form_token: token, email, current_password: 'not the password' },
      cookies,
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain(
      'id="current_password-problem" role="alert">The password is incorrect.',
    );
    expect((await post(PAGE, { form_token: token, email }, cookies)).status).toBe(400);
    expect(await keyStatus(key)).toBe(200);
    expect((await getUser(await userIdOf(email)))?.status).toBe('ACTIVE');
  });

  it('wants a code with MFA on, counting wrong ones (401, then 429)', async () => {
    const email = newEmail('cdel-mfa');
    const account = await mfaAccount(email);
    const cookies = await consoleSessionWithCode(email, codeAt(account.secret, 1));
    const token = await formTokenIn(await get(PAGE, cookies));
    const fields = { form_token: token, email, current_password: PASSWORD };
    expect((await post(PAGE, fields, cookies)).status).toBe(400);
    for (let i = 0; i < 5; i++)
      expect((await post(PAGE, { ...fields, code: wrongCode(account.secret) }, cookies)).status).toBe(401);
    const limited = await post(PAGE, { ...fields, code: account.recoveryCodes[0] ?? '' }, cookies);
    expect(limited.status).toBe(429);
    expect((await getUser(await userIdOf(email)))?.status).toBe('ACTIVE');
  });

  it('answers 409 when the account changed meanwhile, and 503 when the workflow cannot start; nothing is deleted', async () => {
    const { email, cookies, token } = await signedIn('cdel-fail');
    const userId = await userIdOf(email);
    const fields = { form_token: token, email, current_password: PASSWORD };
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => touchProfile(userId, { creditCents: 500 }),
      (input) => JSON.stringify(input).includes('DELETING'),
    );
    const raced = await post(PAGE, fields, cookies);
    expect(ran()).toBe(true);
    expect(raced.status).toBe(409);
    mockClient(SFNClient)
      .on(StartExecutionCommand)
      .rejects(
        Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' }),
      );
    const down = await post(PAGE, fields, cookies);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('60');
    expect(await down.text()).toContain(escapeHtml(DELETION_NOT_STARTED));
    expect((await getUser(userId))?.status).toBe('ACTIVE');
    // The session still works.
    expect((await get('/console', cookies)).status).toBe(200);
  });

  it('lets a suspended account be deleted by its owner; refuses another site and no session', async () => {
    const { email, cookies, token } = await signedIn('cdel-suspended');
    const fields = { form_token: token, email, current_password: PASSWORD };
    expect((await post(PAGE, fields, cookies, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await get(PAGE)).status).toBe(303);
    expect((await post(PAGE, fields)).status).toBe(303);
    await suspended(email);
    expect((await get('/console', cookies)).status).toBe(403);
    expect((await get(PAGE, cookies)).status).toBe(200);
    const userId = await userIdOf(email);
    expect((await post(PAGE, fields, cookies)).status).toBe(200);
    await sfn().settled();
    await expectGone({ userId, email });
  });
});
