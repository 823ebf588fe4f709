// GET and POST /console/password: the password changed from the console, by the same rules as the API.
import { describe, expect, it } from 'vitest';
import { hashPassword } from '#domain/passwords.ts';
import { consoleSession, formTokenIn, get, post, sessionCookie } from '../support/console.ts';
import { userIdOf } from '../support/deletion.ts';
import { activeAccount, login } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { suspended } from '../support/suspension.ts';

const NEW = 'a new passphrase from the console';

async function signedIn(tag: string) {
  const email = newEmail(tag);
  const cli = await activeAccount(email);
  const cookies = await consoleSession(email);
  const page = await get('/console/password', cookies);
  expect(page.status).toBe(200);
  return { email, cli, cookies, token: await formTokenIn(page) };
}

describe('/console/password', () => {
  it('changes the password, signs out every other key, keeps this browser, and mails a notice', async () => {
    const { email, cli, cookies, token } = await signedIn('cpw');
    const res = await post(
      '/console/password',
      { form_token: token, current_password: PASSWORD, new_password: NEW },
      cookies,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('1 other key(s) and session(s) were signed out');
    expect(await keyStatus(cli)).toBe(401);
    expect(await keyStatus(cookies[sessionCookie()] ?? '')).toBe(200);
    expect((await login(email, NEW)).status).toBe(200);
    expect((await mailsTo(email)).at(-1)?.subject).toBe('Your Gatehouse password was changed');
  });

  it('says what is wrong next to the field: a weak new password (400), a wrong current one (401)', async () => {
    const { email, cookies, token } = await signedIn('cpw-wrong');
    const weak = await post(
      '/console/password',
      { form_token: token, current_password: PASSWORD, new_password: 'short' },
      cookies,
    );
    expect(weak.status).toBe(400);
    expect(await weak.text()).toMatch(/id="new_password-problem" role="alert">[^<]*12/);
    const wrong = await post(
      '/console/password',
      { form_token: token, current_password: 'not the password', new_password: NEW },
      cookies,
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain(
      'id="current_password-problem" role="alert">The current password is wrong.',
    );
    expect(
      (await post('/console/password', { form_token: token, current_password: PASSWORD }, cookies)).status,
    ).toBe(400);
    expect((await login(email)).status).toBe(200);
  });

  it('answers 429 after five wrong current passwords with this session', async () => {
    const { cookies, token } = await signedIn('cpw-429');
    for (let i = 0; i < 5; i++)
      expect(
        (
          await post(
            '/console/password',
            { form_token: token, current_password: `wrong ${i}`, new_password: NEW },
            cookies,
          )
        ).status,
      ).toBe(401);
    const res = await post(
      '/console/password',
      { form_token: token, current_password: PASSWORD, new_password: NEW },
      cookies,
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 409 when the password changed meanwhile, and keeps that one', async () => {
    const { email, cookies, token } = await signedIn('cpw-race');
    const ran = meanwhile(
      'UpdateItemCommand',
      async () =>
        touchProfile(await userIdOf(email), { passwordHash: await hashPassword('set by another request') }),
      (input) => String(input.UpdateExpression).includes('passwordHash'),
    );
    const res = await post(
      '/console/password',
      { form_token: token, current_password: PASSWORD, new_password: NEW },
      cookies,
    );
    expect(ran()).toBe(true);
    expect(res.status).toBe(409);
    expect((await login(email, 'set by another request')).status).toBe(200);
  });

  it('refuses another site and a suspended account; a browser without a session goes to the login', async () => {
    const { email, cookies, token } = await signedIn('cpw-refused');
    const cross = await post(
      '/console/password',
      { form_token: token, current_password: PASSWORD, new_password: NEW },
      cookies,
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(cross.status).toBe(403);
    expect((await get('/console/password')).status).toBe(303);
    expect(
      (await post('/console/password', { form_token: token, current_password: PASSWORD, new_password: NEW }))
        .status,
    ).toBe(303);
    await suspended(email);
    expect((await get('/console/password', cookies)).status).toBe(403);
    expect((await login(email, NEW)).status).toBe(401);
  });
});
