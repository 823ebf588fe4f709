// The local stack exactly as a developer starts it (`npm start`), driven over HTTP with nothing
// but fetch, reading mail from the local SES store: the curl walk of the README.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAVA_MISSING } from '../../local/dynamodb-local.ts';
import { basic, json, newEmail, newFreeAccountView, PASSWORD } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { npmStart, type RunningStack } from '../support/npm-start.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ALL_PORTS = [
  'PORT',
  'MAIL_PORT',
  'DYNAMODB_PORT',
  'GOOGLE_PORT',
  'STRIPE_PORT',
  'STEPFUNCTIONS_PORT',
  'EVENTS_PORT',
];
let stack: RunningStack;
let api: string;
let mail: string;

beforeAll(async () => {
  stack = await npmStart();
  ({ api, mail } = stack);
});

afterAll(() => stack?.kill());

/** Signs up over HTTP and confirms with the mailed link, as the page's form does. */
async function confirmedAccount(email: string): Promise<void> {
  const signup = await fetch(`${api}/api/free_users`, {
    method: 'POST',
    ...json({ email, password: PASSWORD }),
  });
  expect(signup.status).toBe(200);
  const [link] = await mailsTo(email, mail);
  const token = linkToken(link as NonNullable<typeof link>, 'confirm-email');
  expect(
    (await fetch(`${api}/confirm-email`, { method: 'POST', body: new URLSearchParams({ token }) })).status,
  ).toBe(200);
}

/** A GET sent from `from`, an address of 127.0.0.0/8: the API sees it as the caller's IP. */
function getFrom(from: string, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const req = httpRequest(url, { localAddress: from, headers }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('npm start', () => {
  it('prints where everything is', () => {
    expect(stack.output()).toContain(`API            ${api}`);
    expect(stack.output()).toContain(`Mail viewer    ${mail}`);
    expect(stack.output()).toContain(`DynamoDB Local http://127.0.0.1:${stack.dynamoPort}`);
    expect(stack.output()).toContain(`Platform route ${api}/example/whoami`);
  });

  it('serves the example platform route behind the authorizer, as the banner says to try it with curl', async () => {
    const email = newEmail('whoami');
    await confirmedAccount(email);
    const login = await fetch(`${api}/api/login`, { headers: { authorization: basic(email, PASSWORD) } });
    const { key } = ((await login.json()) as { data: { key: string } }).data;
    const curl = (...args: string[]) =>
      spawnSync('curl', ['-s', '-w', '\n%{http_code}', ...args, `${api}/example/whoami`], {
        encoding: 'utf8',
      });
    const ok = curl('-u', `${email}:${key}`);
    expect(ok.error).toBeUndefined();
    const [body, status] = ok.stdout.split('\n');
    expect(status).toBe('200');
    expect(JSON.parse(String(body))).toEqual({
      data: expect.objectContaining({ email, tier: 'FREE', credential: 'api_key', mfaEnabled: false }),
    });
    expect(curl().stdout.split('\n')[1]).toBe('401');
    expect(curl('-H', `Authorization: Bearer ${key}x`).stdout.split('\n')[1]).toBe('401');
  });

  it('serves the API reference, rendered from the OpenAPI document it serves', async () => {
    expect(stack.output()).toContain(`API reference  ${api}/docs`);
    const document = (await (await fetch(`${api}/api/openapi.json`)).json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, { summary: string }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: api }]);
    const page = await fetch(`${api}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const method of Object.keys(methods)) expect(html).toContain(`${method.toUpperCase()} ${path}`);
    }
    // Its style is a sheet of the same origin, which its policy (style-src 'self') lets in.
    expect(html).toContain('<link rel="stylesheet" href="/docs/style.css">');
    expect(html).not.toContain('<style');
    const sheet = await fetch(`${api}/docs/style.css`);
    expect(sheet.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await sheet.text()).toContain('font-family');
  });

  it('serves the mail viewer page', async () => {
    const res = await fetch(`${mail}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('walks signup → confirm → resend → login → account over HTTP', async () => {
    const email = newEmail('e2e');
    // 1. direct signup; a confirmation mail with a link to PUBLIC_BASE_URL
    const signup = await fetch(`${api}/api/free_users`, {
      method: 'POST',
      ...json({ email, password: PASSWORD }),
    });
    expect(signup.status).toBe(200);
    const [first] = await mailsTo(email, mail);
    expect(first?.body.text).toContain(`${api}/confirm-email?token=`);

    // 2. login before confirming: 401 that says to confirm first
    const early = await fetch(`${api}/api/login`, { headers: { authorization: basic(email, PASSWORD) } });
    expect(early.status).toBe(401);
    expect(JSON.stringify(await early.json())).toMatch(/confirm your email address first/);

    // 4. resend: a new link that kills the old one; a second resend within a minute is a 429
    const resend = () => fetch(`${api}/api/users/reconfirm_email`, { method: 'PUT', ...json({ email }) });
    expect((await resend()).status).toBe(200);
    const throttled = await resend();
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    const unknown = await fetch(`${api}/api/users/reconfirm_email`, {
      method: 'PUT',
      ...json({ email: newEmail('x') }),
    });
    expect(unknown.status).toBe(200);
    const mails = await mailsTo(email, mail);
    expect(mails).toHaveLength(2);
    const [oldToken, newToken] = mails.map((m) => linkToken(m, 'confirm-email'));

    // 3. the link opens a page; GET alone consumes nothing; its button POSTs the token
    const page = await fetch(`${api}/confirm-email?token=${newToken}`);
    expect(await page.text()).toContain('<button type="submit">');
    const post = (token: string) =>
      fetch(`${api}/confirm-email`, {
        method: 'POST',
        body: new URLSearchParams({ token: token as string }),
      });
    expect((await post(oldToken as string)).status).toBe(400);
    expect((await post(newToken as string)).status).toBe(200);
    const reused = await post(newToken as string);
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain('already been used');

    // 5. login hands out a key; the account shows with Basic email:key and with Bearer
    const login = await fetch(`${api}/api/login`, { headers: { authorization: basic(email, PASSWORD) } });
    expect(login.status).toBe(200);
    const { key } = ((await login.json()) as { data: { key: string } }).data;
    const viaBasic = await fetch(`${api}/api/users`, { headers: { authorization: basic(email, key) } });
    const viaBearer = await fetch(`${api}/api/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(viaBasic.status).toBe(200);
    const body = await viaBasic.json();
    expect(body).toEqual({ data: newFreeAccountView(email) });
    expect(await viaBearer.json()).toEqual(body);
  });

  it('walks the staged CLI signup over HTTP, then logs in with the new account', async () => {
    const email = newEmail('staged-e2e');
    const step = async (body: Record<string, string>) => {
      const res = await fetch(`${api}/api/signup`, { method: 'POST', ...json(body) });
      expect(res.status, JSON.stringify(body)).toBe(200);
      return ((await res.json()) as { data: Record<string, string> }).data;
    };
    const { uuid } = await step({ email });
    const [codeMail] = await mailsTo(email, mail);
    const code = /code is (\d{6})/.exec(codeMail?.body.text ?? '')?.[1] as string;
    expect(code).toMatch(/^\d{6}$/);
    await step({ uuid: uuid as string, confirmation_code: code });
    await step({ uuid: uuid as string, password: PASSWORD });
    const done = await step({ uuid: uuid as string, tier: 'FREE' });
    expect(done.email).toBe(email);
    const account = await fetch(`${api}/api/users`, {
      headers: { authorization: basic(email, done.key as string) },
    });
    expect(await account.json()).toEqual({ data: newFreeAccountView(email) });
    const login = await fetch(`${api}/api/login`, { headers: { authorization: basic(email, PASSWORD) } });
    expect(login.status).toBe(200);
  });

  it('manages API keys over HTTP: list, log out, revoke, reset', async () => {
    const email = newEmail('keys-e2e');
    await confirmedAccount(email);
    const login = async () =>
      (
        (await (
          await fetch(`${api}/api/login`, { headers: { authorization: basic(email, PASSWORD) } })
        ).json()) as {
          data: { key: string };
        }
      ).data.key;
    const [a, b, c] = [await login(), await login(), await login()];
    const as = (key: string, init: RequestInit = {}) => ({
      ...init,
      headers: { authorization: `Bearer ${key}`, ...init.headers },
    });
    const listed = (await (await fetch(`${api}/api/api_keys`, as(a))).json()) as {
      data: { id: string; current: boolean }[];
    };
    expect(listed.data).toHaveLength(3);
    expect((await fetch(`${api}/api/api_keys/current`, as(b, { method: 'DELETE' }))).status).toBe(200);
    expect((await fetch(`${api}/api/users`, as(b))).status).toBe(401);
    const cId = (
      (await (await fetch(`${api}/api/api_keys`, as(c))).json()) as {
        data: { id: string; current: boolean }[];
      }
    ).data.find((k) => k.current)?.id as string;
    expect((await fetch(`${api}/api/api_keys/${cId}`, as(a, { method: 'DELETE' }))).status).toBe(200);
    expect((await fetch(`${api}/api/users`, as(c))).status).toBe(401);
    const reset = await fetch(
      `${api}/api/api_keys/regenerate?current_password=${encodeURIComponent(PASSWORD)}`,
      as(a, { method: 'POST' }),
    );
    expect(reset.status).toBe(201);
    const { key } = ((await reset.json()) as { data: { key: string } }).data;
    expect((await fetch(`${api}/api/users`, as(a))).status).toBe(401);
    expect((await fetch(`${api}/api/users`, as(key))).status).toBe(200);
    expect((await mailsTo(email, mail)).at(-1)?.subject).toBe('Your Gatehouse API key was reset');
  });

  it('changes the password, then moves the address and undoes the move, over HTTP', async () => {
    const email = newEmail('lifecycle-e2e');
    await confirmedAccount(email);
    const loginAs = async (password: string) =>
      fetch(`${api}/api/login`, { headers: { authorization: basic(email, password) } });
    const { key } = ((await (await loginAs(PASSWORD)).json()) as { data: { key: string } }).data;
    const withKey = (body: unknown) => json(body, { authorization: `Bearer ${key}` });

    const NEW = 'changed over http, surely';
    const changed = await fetch(`${api}/api/users/change_password`, {
      method: 'PATCH',
      ...withKey({ current_password: PASSWORD, new_password: NEW }),
    });
    expect(await changed.json()).toEqual({ data: { message: 'Password successfully changed' } });
    expect((await loginAs(NEW)).status).toBe(200);

    const next = newEmail('lifecycle-next');
    const moved = await fetch(`${api}/api/users/email`, {
      method: 'POST',
      ...withKey({ next_email: next, current_password: NEW }),
    });
    expect(moved.status).toBe(200);
    const [confirmMail] = await mailsTo(next, mail);
    const confirm = linkToken(confirmMail as NonNullable<typeof confirmMail>, 'confirm-email-change');
    expect(
      (await fetch(`${api}/api/users/email/confirm`, { method: 'POST', ...json({ token: confirm }) })).status,
    ).toBe(200);
    const undoMail = (await mailsTo(email, mail)).find(
      (m) => m.subject === 'Your Gatehouse address was changed',
    );
    const undo = linkToken(undoMail as NonNullable<typeof undoMail>, 'revoke-email-change');
    expect(
      (await fetch(`${api}/api/users/email/revoke`, { method: 'POST', ...json({ token: undo }) })).status,
    ).toBe(200);
    expect((await loginAs(NEW)).status).toBe(200);
    expect((await fetch(`${api}/api/users`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      401,
    );
  });

  it('keeps the owner’s login open while a stranger on another address guesses', async () => {
    const email = newEmail('lockout-e2e');
    await confirmedAccount(email);
    const login = (from: string, password: string) =>
      getFrom(from, `${api}/api/login`, { authorization: basic(email, password) });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await login('127.0.0.23', 'a wrong guess here'));
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // The owner, from another address, is not kept waiting (the stranger's source would be).
    expect(await login('127.0.0.42', PASSWORD)).toBe(200);
  });

  it('runs the cleanup once with npm run cleanup', () => {
    const result = spawnSync('npm', ['run', '--silent', 'cleanup'], {
      cwd: ROOT,
      env: { ...process.env, DYNAMODB_PORT: String(stack.dynamoPort), LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Removed 0 unconfirmed signup\(s\) of 0 found/m);
  });

  it('stops everything it started on Ctrl-C', async () => {
    expect(stack.javaRunning()).toBe(true);
    await stack.stop();
    await expect(fetch(`${api}/api/users`)).rejects.toThrow();
    await expect(fetch(`${mail}/store`)).rejects.toThrow();
  });
});

describe('npm start, when it cannot start', () => {
  it('stops with one line naming a port that is taken, and the variable that moves it', async () => {
    for (const variable of ['MAIL_PORT', 'DYNAMODB_PORT', 'PORT']) {
      const holder = createServer(() => {});
      await new Promise<void>((ready) => holder.listen(0, '127.0.0.1', ready));
      const { port } = holder.address() as AddressInfo;
      try {
        const result = await new Promise<{ status: number | null; stderr: string }>((done) => {
          const child = spawn(
            process.execPath,
            [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'local/start.ts'],
            {
              cwd: ROOT,
              env: {
                ...process.env,
                ...Object.fromEntries(ALL_PORTS.map((name) => [name, '0'])),
                [variable]: String(port),
              },
            },
          );
          let stderr = '';
          child.stderr.on('data', (d) => {
            stderr += d;
          });
          child.on('close', (status) => done({ status, stderr }));
        });
        expect(result.status).toBe(1);
        const lines = result.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          new RegExp(`^Port ${port} \\(.+\\) is in use: .*set ${variable} to a free port\\.$`),
        );
      } finally {
        holder.close();
      }
    }
  });

  it('stops with one clear line that says how to install it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-java-'));
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'local/start.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, PATH: empty },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(JAVA_MISSING);
  });
});
