// GET and POST /console/address: the address changed from the console, by the API's rules.
import { describe, expect, it } from 'vitest';
import { CHANGE_REQUESTED } from '#services/email-change-request.ts';
import { escapeHtml } from '#shared/html.ts';
import { get, post, signedInOn } from '../support/console.ts';
import { completeChange, confirmChange } from '../support/email-change.ts';
import { login } from '../support/flows.ts';
import { newEmail, PASSWORD } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { suspended } from '../support/suspension.ts';

const PAGE = '/console/address';
const signedIn = (tag: string) => signedInOn(PAGE, tag);

describe('/console/address', () => {
  it('asks for the change: a link to the new address, a notice to the old, the change shown pending', async () => {
    const { email, cookies, token } = await signedIn('caddr');
    const next = newEmail('caddr-next');
    const res = await post(
      PAGE,
      { form_token: token, next_email: next.toUpperCase(), current_password: PASSWORD },
      cookies,
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(`<p role="status">${escapeHtml(CHANGE_REQUESTED)}</p>`);
    expect(text).toContain(`Changing to <strong>${next}</strong>`);
    expect(await (await get(PAGE, cookies)).text()).toContain(`Changing to <strong>${next}</strong>`);
    expect((await mailsTo(email)).at(-1)?.subject).toBe('Your Gatehouse address is about to change');
    const [toNew] = await mailsTo(next);
    expect(
      (await confirmChange(linkToken(toNew as NonNullable<typeof toNew>, 'confirm-email-change'))).status,
    ).toBe(200);
    expect((await login(next)).status).toBe(200);
  });

  it('says what is wrong next to its field: a bad or same address (400), a wrong password (401)', async () => {
    const { email, cookies, token } = await signedIn('caddr-bad');
    const same = await post(
      PAGE,
      { form_token: token, next_email: email, current_password: PASSWORD },
      cookies,
    );
    expect(same.status).toBe(400);
    expect(await same.text()).toContain(
      'id="next_email-problem" role="alert">This address is already the address of this account.',
    );
    const next = newEmail('caddr-bad-next');
    const wrong = await post(
      PAGE,
      { form_token: token, next_email: next, current_password: 'not it at all' },
      cookies,
    );
    expect(wrong.status).toBe(401);
    const page = await wrong.text();
    expect(page).toContain('id="current_password-problem" role="alert">The password is incorrect.');
    expect(page).toContain(`value="${next}"`);
    expect((await post(PAGE, { form_token: token, next_email: next }, cookies)).status).toBe(400);
    expect(await mailsTo(next)).toEqual([]);
  });

  it('answers 409 while the last change can be undone, and 429 after five wrong passwords', async () => {
    const { email, key, cookies, token } = await signedIn('caddr-409');
    const moved = newEmail('caddr-moved');
    await completeChange(key, email, moved);
    // The session lives on at the new address.
    const further = await post(
      PAGE,
      { form_token: token, next_email: newEmail(), current_password: PASSWORD },
      cookies,
    );
    expect(further.status).toBe(409);
    expect(await further.text()).toContain(
      'The last change of address can still be undone from the old address until',
    );
    const other = await signedIn('caddr-429');
    for (let i = 0; i < 5; i++)
      expect(
        (
          await post(
            PAGE,
            { form_token: other.token, next_email: newEmail(), current_password: `wrong ${i}` },
            other.cookies,
          )
        ).status,
      ).toBe(401);
    const limited = await post(
      PAGE,
      { form_token: other.token, next_email: newEmail(), current_password: PASSWORD },
      other.cookies,
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses another site, no session and a suspended account', async () => {
    const { email, cookies, token } = await signedIn('caddr-refused');
    const fields = { form_token: token, next_email: newEmail(), current_password: PASSWORD };
    expect((await post(PAGE, fields, cookies, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await get(PAGE)).status).toBe(303);
    expect((await post(PAGE, fields)).status).toBe(303);
    await suspended(email);
    expect((await get(PAGE, cookies)).status).toBe(403);
  });
});
