import { describe, expect, it } from 'vitest';
import { ACCOUNT_SUSPENDED, SECOND_FACTOR_NEEDED, SECOND_FACTOR_WRONG } from '#domain/messages.ts';
import { NO_CODE_AT_THIS_TERMINAL } from '../../functions/oauth-google-poll.ts';
import { useLocalStepFunctions, userIdOf } from '../support/deletion.ts';
import { activeAccount, call, login, signUp } from '../support/flows.ts';
import { googleLoginSession, googleSignupSession, poll, useFakeGoogle } from '../support/google.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { keyStatus, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { codeAt, mfaAccount, wrongCode } from '../support/mfa.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { suspended } from '../support/suspension.ts';
import { allItems, itemsAbout } from '../support/table.ts';

const google = useFakeGoogle();
useLocalStepFunctions();
const keyOf = async (res: Response) => ((await res.json()) as { data: { email: string; key: string } }).data;

describe('GET /api/oauth/google/{session}', () => {
  it('links a confirmed account by the verified address, hands the key out once, and tells the owner', async () => {
    const email = newEmail('link');
    await activeAccount(email);
    const { session } = await googleLoginSession(email.toUpperCase());
    const res = await poll(session);
    expect(res.status).toBe(200);
    const data = await keyOf(res);
    expect(data.email).toBe(email);
    expect(await keyStatus(data.key)).toBe(200);
    expect((await poll(session)).status).toBe(404);
    const identity = (await allItems()).find((i) => i.pk === `IDENTITY#google#${google().subjectOf(email)}`);
    expect(identity).toMatchObject({ type: 'identity', userId: expect.any(String) });
    expect((await mailsTo(email)).at(-1)?.subject).toBe('Google sign-in added to your Gatehouse account');
    // The password still works alongside.
    expect((await login(email)).status).toBe(200);
  });

  it('finds the account by Google subject afterwards, even when Google reports another address', async () => {
    const email = newEmail('sub');
    await activeAccount(email);
    expect((await poll((await googleLoginSession(email)).session)).status).toBe(200);
    const { session } = await googleLoginSession(email, { email: newEmail('renamed') });
    const res = await poll(session);
    expect(res.status).toBe(200);
    expect((await keyOf(res)).email).toBe(email);
  });

  it('claims an UNCONFIRMED account: confirmed, the unproven password discarded, the owner told', async () => {
    const email = newEmail('claim');
    await signUp(email, 'a squatter chose this one');
    const { session } = await googleLoginSession(email);
    const res = await poll(session);
    expect(res.status).toBe(200);
    expect(await keyStatus((await keyOf(res)).key)).toBe(200);
    expect((await login(email, 'a squatter chose this one')).status).toBe(401);
    const profile = (await itemsAbout(email)).find((i) => i.type === 'user');
    expect(profile).toMatchObject({ status: 'ACTIVE' });
    expect(profile?.gsi1pk).toBeUndefined();
    expect((await mailsTo(email)).at(-1)?.subject).toBe('Your Gatehouse account is confirmed through Google');
  });

  it('answers 409 when the UNCONFIRMED account it claims changed meanwhile, and claims it at the next poll', async () => {
    const email = newEmail('claim-changed');
    await signUp(email, 'a squatter chose this one');
    const userId = await userIdOf(email);
    const { session } = await googleLoginSession(email);
    const before = (await allItems()).filter((i) => !String(i.pk).startsWith('RATE#'));
    const ran = meanwhile(
      'TransactWriteItemsCommand',
      () => touchProfile(userId),
      (input) => JSON.stringify(input.TransactItems).includes(':unconfirmed'),
    );
    const res = await poll(session);
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ errors: { '': ['The account changed meanwhile. Try again.'] } });
    // Nothing claimed, linked or minted: only the profile moved, as the other writer left it.
    const isProfile = (i: Record<string, unknown>) => i.type === 'user' && i.userId === userId;
    const after = (await allItems()).filter((i) => !String(i.pk).startsWith('RATE#'));
    expect(after.filter((i) => !isProfile(i))).toEqual(before.filter((i) => !isProfile(i)));
    const profile = before.find(isProfile) as { version: number; status: string };
    expect(profile.status).toBe('UNCONFIRMED');
    expect(after.find(isProfile)).toEqual({ ...profile, version: profile.version + 1 });
    expect((await mailsTo(email)).map((m) => m.subject)).not.toContain(
      'Your Gatehouse account is confirmed through Google',
    );
    // The session still holds Google's answer: the next poll claims the account.
    const again = await poll(session);
    expect(again.status).toBe(200);
    expect((await keyOf(again)).email).toBe(email);
  });

  it('refuses a suspended account with 403: no key, no link, no mail', async () => {
    const email = newEmail('google-suspended');
    await activeAccount(email);
    await suspended(email);
    const mails = (await mailsTo(email)).length;
    const { session, page } = await googleLoginSession(email);
    expect(await page.text()).toContain('This account is suspended');
    const res = await poll(session);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: { '': [ACCOUNT_SUSPENDED] } });
    expect((await allItems()).some((i) => i.pk === `IDENTITY#google#${google().subjectOf(email)}`)).toBe(
      false,
    );
    expect((await mailsTo(email)).length).toBe(mails);
  });

  it('refuses an address with no account, and says how to sign up', async () => {
    const { session } = await googleLoginSession(newEmail('nobody'));
    const res = await poll(session);
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).toContain('Sign up first: signup:google');
  });

  it('wants the second factor when MFA is on: 303, then 200 with a code', async () => {
    const account = await mfaAccount(newEmail('mfa'));
    const { session } = await googleLoginSession(account.email);
    const bare = await poll(session);
    expect(bare.status).toBe(303);
    // Without a code, also a general message: a client that reads only that learns what works.
    expect(await bare.json()).toEqual({
      errors: { mfa_token: [SECOND_FACTOR_NEEDED], '': [NO_CODE_AT_THIS_TERMINAL] },
    });
    const wrong = await poll(session, wrongCode(account.secret));
    expect(wrong.status).toBe(303);
    expect(await wrong.json()).toEqual({ errors: { mfa_token: [SECOND_FACTOR_WRONG] } });
    const res = await poll(session, codeAt(account.secret, 1));
    expect(res.status).toBe(200);
    expect((await poll(session, codeAt(account.secret, 1))).status).toBe(404);
  });

  it('mints a key that proved Google and the code, not the password: fresh for the code, never for the password', async () => {
    const account = await mfaAccount(newEmail('google-sudo'));
    const { session } = await googleLoginSession(account.email);
    const res = await poll(session, codeAt(account.secret, 1));
    expect(res.status).toBe(200);
    const { key } = ((await res.json()) as { data: { key: string } }).data;
    // Within minutes of that login, what wants the password still wants it...
    const off = await call('DELETE', '/api/mfa', withKey(key, {}));
    expect(off.status).toBe(400);
    expect(await off.json()).toEqual({ errors: { current_password: ["can't be blank"] } });
    expect((await call('DELETE', '/api/users/destroy', withKey(key, {}))).status).toBe(400);
    expect((await itemsAbout(account.email)).find((item) => item.type === 'user')).toMatchObject({
      mfaEnabled: true,
      status: 'ACTIVE',
    });
    // ...and the code that login gave stands for a fresh one (the Gigalixir client sends none).
    const renewed = await call('POST', '/api/mfa/recovery_codes', withKey(key, {}));
    expect(renewed.status, await renewed.clone().text()).toBe(200);
    const gone = await call(
      'DELETE',
      '/api/users/destroy',
      withKey(key, { email: account.email, current_password: PASSWORD }),
    );
    expect(gone.status, await gone.clone().text()).toBe(200);
  });

  it('hands the key to exactly one of parallel polls', async () => {
    const email = newEmail('race');
    await activeAccount(email);
    const { session } = await googleLoginSession(email);
    const answers = await Promise.all(Array.from({ length: 4 }, () => poll(session)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 404, 404, 404]);
  });

  it('claims an UNCONFIRMED account once, however many polls race', async () => {
    const email = newEmail('claim-race');
    await signUp(email, 'a squatter chose this one');
    const { session } = await googleLoginSession(email);
    const answers = await Promise.all(Array.from({ length: 4 }, () => poll(session)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 404, 404, 404]);
    expect((await mailsTo(email)).filter((m) => m.subject.includes('confirmed through Google'))).toHaveLength(
      1,
    );
  });

  it('answers 404 for an unknown session, 400 for what cannot be one', async () => {
    expect((await poll('A'.repeat(43))).status).toBe(404);
    expect((await poll('short')).status).toBe(400);
  });
});

describe('Google signup (POST /api/signup {oauth: "google"})', () => {
  it('proves the address through Google, then the tier step creates the account with its first key', async () => {
    const email = newEmail('gsignup');
    const { uuid, poll: answer } = await googleSignupSession(email);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { email } });
    const done = await call('POST', '/api/signup', json({ uuid, tier: 'FREE' }));
    expect(done.status).toBe(200);
    const { data } = (await done.json()) as { data: { email: string; key: string } };
    expect(data.email).toBe(email);
    expect(await keyStatus(data.key)).toBe(200);
    // No password works; Google logs in to the same account.
    expect((await login(email, PASSWORD)).status).toBe(401);
    const again = await poll((await googleLoginSession(email)).session);
    expect((await keyOf(again)).email).toBe(email);
  });

  it('gives an address that has an account the same answer, then refuses to make a second one', async () => {
    const email = newEmail('taken');
    await activeAccount(email);
    const { uuid, poll: answer } = await googleSignupSession(email);
    expect(await answer.json()).toEqual({ data: { email } });
    const done = await call('POST', '/api/signup', json({ uuid, tier: 'FREE' }));
    expect(done.status).toBe(409);
    expect(JSON.stringify(await done.json())).toContain('Log in with Google');
    expect((await itemsAbout(email)).filter((i) => i.type === 'user')).toHaveLength(1);
  });

  it('refuses oauth other than google, and oauth with other fields', async () => {
    expect((await call('POST', '/api/signup', json({ oauth: 'github' }))).status).toBe(400);
    expect((await call('POST', '/api/signup', json({ oauth: 'google', email: newEmail() }))).status).toBe(
      400,
    );
  });
});
