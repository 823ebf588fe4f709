// `npm run screenshots`: every page of the web console at 1280 and 390 px wide, written to
// docs/console/ (the README shows two). Runs against the local stack: start it first (`npm start`
// in another terminal; PORT and MAIL_PORT as it was given). It signs up a throwaway account.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { URI } from 'otpauth';
import { chromium, type Page } from 'playwright-core';

// The names npm start serves them under: the console's forms post to its own origin only.
const API = process.env.GATEHOUSE_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const MAIL = `http://127.0.0.1:${process.env.MAIL_PORT ?? 8005}`;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = resolve(import.meta.dirname, '../docs/console');
const PASSWORD = 'a screenshot passphrase';

const SIGNED_OUT = {
  login: '/console/login',
  signup: '/console/signup',
  resend: '/console/confirmation/resend',
  reset: '/console/password/reset',
  // Back from Google with no sign-in of this browser's (its code form: mfaAccount below).
  'google-ended': '/console/login/google/finish',
};
const SIGNED_IN = {
  account: '/console',
  card: '/console/account/payment-method',
  upgrade: '/console/upgrade',
  security: '/console/security',
  password: '/console/password',
  address: '/console/address',
  mfa: '/console/mfa',
  keys: '/console/keys',
  'key-new': '/console/keys/new',
  'ssh-keys': '/console/ssh-keys',
  activity: '/console/activity',
  delete: '/console/delete',
};

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${API}${path}`, {
    method: path.includes('reconfirm') ? 'PUT' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A confirmed account, as a person makes one: the signup, then the link in its mail. */
async function confirmedAccount(): Promise<string> {
  const email = `screenshots-${randomUUID().slice(0, 8)}@example.com`;
  if (!(await post('/api/free_users', { email, password: PASSWORD })).ok) throw new Error('signup failed');
  const { emails } = (await (await fetch(`${MAIL}/store`)).json()) as {
    emails: { destination: { to: string[] }; body: { text?: string } }[];
  };
  const text = emails.filter((m) => m.destination.to.includes(email)).at(-1)?.body.text ?? '';
  const token = /\/confirm-email\?token=([A-Za-z0-9_%-]+)/.exec(text)?.[1];
  if (!token) throw new Error(`no confirmation mail for ${email} at ${MAIL}`);
  if (!(await post('/api/users/confirm_email', { token: decodeURIComponent(token) })).ok)
    throw new Error('confirmation failed');
  return email;
}

/** A confirmed account with MFA on, turned on as the CLI does it (start, then a code). */
async function mfaAccount(): Promise<string> {
  const email = await confirmedAccount();
  const basic = `Basic ${Buffer.from(`${email}:${PASSWORD}`).toString('base64')}`;
  const login = await fetch(`${API}/api/login`, { headers: { authorization: basic } });
  const { key } = ((await login.json()) as { data: { key: string } }).data;
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const started = await fetch(`${API}/api/mfa/start`, { method: 'POST', headers: auth, body: '{}' });
  const app = URI.parse(((await started.json()) as { data: { url: string } }).data.url);
  const verify = await fetch(`${API}/api/mfa/verify`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ mfa_token: app.generate() }),
  });
  if (!verify.ok) throw new Error(`MFA did not turn on: ${verify.status}`);
  return email;
}

async function shoot(page: Page, name: string, width: number): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing (apt-get install chromium, or set CHROMIUM)`);
  try {
    await fetch(`${API}/api/public/config`);
  } catch {
    throw new Error(`No local stack at ${API}: start it first (npm start), then run this again.`);
  }
  mkdirSync(OUT, { recursive: true });
  const email = await confirmedAccount();
  const withMfa = await mfaAccount();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: 'light' });
      const page = await context.newPage();
      for (const [name, path] of Object.entries(SIGNED_OUT)) {
        await page.goto(`${API}${path}`);
        await shoot(page, name, width);
      }
      await page.goto(`${API}/console/login`);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page
        .getByRole('heading', { name: 'Your account' })
        .waitFor({ timeout: 10_000 })
        .catch(async () => {
          throw new Error(`not signed in: ${page.url()} ${(await page.content()).slice(-800)}`);
        });
      for (const [name, path] of Object.entries(SIGNED_IN)) {
        await page.goto(`${API}${path}`);
        await shoot(page, name, width);
      }
      // The MFA setup, with its QR code (of this throwaway account's pending secret).
      await page.goto(`${API}/console/mfa`);
      await page.getByRole('button', { name: 'Turn MFA on' }).click();
      await page.getByRole('heading', { name: 'Turn MFA on' }).waitFor();
      await shoot(page, 'mfa-setup', width);
      await context.close();
      // "Sign in with Google" for an account with MFA on: the stand-in's page, then the code form.
      const google = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: 'light' });
      const at = await google.newPage();
      await at.goto(`${API}/console/login`);
      await at.getByRole('button', { name: 'Sign in with Google' }).click();
      await at.getByLabel('Email').fill(withMfa);
      await at.getByRole('button', { name: 'Continue' }).click();
      await at.getByRole('heading', { name: 'Your second factor' }).waitFor({ timeout: 10_000 });
      await shoot(at, 'google-code', width);
      await google.close();
    }
  } finally {
    await browser.close();
  }
  console.log(
    `Screenshots of ${Object.keys(SIGNED_OUT).length + Object.keys(SIGNED_IN).length + 2} pages at 1280 and 390 px in ${OUT}`,
  );
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
