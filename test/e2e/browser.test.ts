// The pages behind mail links, in a real browser: headless Chromium (Debian's) driven by
// playwright-core, against `npm start`. Each story opens the link read from the local mail store,
// submits the form, sees the result page, and then finds the link spent.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, json, newEmail, PASSWORD } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { npmStart, type RunningStack } from '../support/npm-start.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Skipping browser tests: ${CHROMIUM} is missing (apt-get install chromium).`);

let stack: RunningStack;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  stack = await npmStart();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Flags that work on these machines: no sandbox as root, and no background networking,
    // which would keep trying hosts this network cannot reach. Playwright gives every launch a
    // fresh profile of its own (it refuses --user-data-dir here).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A confirmed account made over HTTP; returns an API key. */
async function account(email: string): Promise<string> {
  const { api, mail } = stack;
  expect(
    (await fetch(`${api}/api/free_users`, { method: 'POST', ...json({ email, password: PASSWORD }) })).status,
  ).toBe(200);
  const [link] = await mailsTo(email, mail);
  const token = linkToken(link as NonNullable<typeof link>, 'confirm-email');
  const page = await browser.newPage();
  await page.goto(`${api}/confirm-email?token=${token}`);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(page.getByRole('heading', { name: 'Email address confirmed' }).textContent()).resolves.toBe(
    'Email address confirmed',
  );
  await page.close();
  const login = await fetch(`${api}/api/login`, { headers: { authorization: basic(email, PASSWORD) } });
  return ((await login.json()) as { data: { key: string } }).data.key;
}

describe.skipIf(!hasChromium)('pages behind mail links, in Chromium', () => {
  it('resets a password through the page, and the link is then spent', async () => {
    const { api, mail } = stack;
    const email = newEmail('browser-reset');
    await account(email);
    expect(
      (await fetch(`${api}/api/users/reset_password`, { method: 'PUT', ...json({ email }) })).status,
    ).toBe(200);
    const resetMail = (await mailsTo(email, mail)).find((m) => m.subject === 'Reset your Gatehouse password');
    const url = /https?:\/\/\S+\/reset-password\?token=\S+/.exec(resetMail?.body.text ?? '')?.[0] as string;

    const page = await browser.newPage();
    await page.goto(url);
    expect(await page.title()).toBe('Choose a new password');
    await page.getByLabel('New password (at least 12 characters)').fill('chosen in a browser');
    await page.getByRole('button', { name: 'Set my password' }).click();
    expect(await page.getByRole('heading').first().textContent()).toBe('Password set');
    expect(
      (await fetch(`${api}/api/login`, { headers: { authorization: basic(email, 'chosen in a browser') } }))
        .status,
    ).toBe(200);

    await page.goto(url);
    await page.getByLabel('New password (at least 12 characters)').fill('and once more please');
    await page.getByRole('button', { name: 'Set my password' }).click();
    expect(await page.getByRole('heading').first().textContent()).toBe('This link no longer works');
    await page.close();
  });

  it('confirms an email change through the page, and the link is then spent', async () => {
    const { api, mail } = stack;
    const old = newEmail('browser-from');
    const next = newEmail('browser-to');
    const key = await account(old);
    const body = { next_email: next, current_password: PASSWORD };
    const asked = await fetch(`${api}/api/users/email`, {
      method: 'POST',
      ...json(body, { authorization: `Bearer ${key}` }),
    });
    expect(asked.status).toBe(200);
    const [confirmMail] = await mailsTo(next, mail);
    const url = /https?:\/\/\S+\/confirm-email-change\?token=\S+/.exec(
      confirmMail?.body.text ?? '',
    )?.[0] as string;

    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Move my account to this address' }).click();
    expect(await page.getByRole('heading').first().textContent()).toBe('Address changed');
    const me = await fetch(`${api}/api/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(await me.json()).toMatchObject({ data: { email: next } });

    await page.goto(url);
    await page.getByRole('button', { name: 'Move my account to this address' }).click();
    expect(await page.getByRole('heading').first().textContent()).toBe('This link no longer works');
    await page.close();
  });
});
