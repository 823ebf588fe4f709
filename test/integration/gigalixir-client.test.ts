// The Gigalixir CLI (v1.16.1, github gigalixir/gigalixir-cli, gigalixir/*.py) is the reference
// client: each account command's requests replayed as it sends them. Its session sets
// `Content-Type: application/json` and `User-Agent: GigalixirCLI/1.16.1` on every request, bodies
// or not; requests adds Accept, Accept-Encoding and Connection; bodies are `json=` (Python's
// json.dumps: ", " and ": " separators, ASCII only); query strings are urlencoded (quote_plus);
// auth is netrc's raw `email:key` as Basic, except login's, which percent-encodes both parts.
// The response fields read are the ones the client reads.
import { describe, expect, it } from 'vitest';
import { NO_CODE_AT_THIS_TERMINAL } from '../../functions/oauth-google-poll.ts';
import { useLocalStepFunctions } from '../support/deletion.ts';
import { confirmChange } from '../support/email-change.ts';
import { activeAccount, call, sourceIp } from '../support/flows.ts';
import {
  callback,
  enterCode,
  enterCodeWith,
  newBrowser,
  pressSignIn,
  signInAtGoogle,
  stateOf,
  useFakeGoogle,
} from '../support/google.ts';
import { newEmail } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { codeAt, mfaAccount, secretOf } from '../support/mfa.ts';
import { newSshKey } from '../support/ssh.ts';
import { useFakeStripe } from '../support/stripe.ts';

useFakeStripe();
useFakeGoogle();
useLocalStepFunctions();

/** Python's json.dumps of a flat object of strings, byte for byte (ensure_ascii, default separators). */
function pythonJson(body: Record<string, string>): string {
  const ascii = (s: string) =>
    JSON.stringify(s).replace(
      /[\u007f-\uffff]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  return `{${Object.entries(body)
    .map(([k, v]) => `${ascii(k)}: ${ascii(v)}`)
    .join(', ')}}`;
}

/** Python's urllib quote: everything but letters, digits, `_.-~` and `safe` is %XX (UTF-8). */
function pythonQuote(value: string, safe = '/'): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const ch = String.fromCharCode(byte);
      return /[A-Za-z0-9_.\-~]/.test(ch) || safe.includes(ch)
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** requests' params encoding (urlencode, quote_plus). */
const queryOf = (params: Record<string, string>) =>
  Object.entries(params)
    .map(([k, v]) => `${pythonQuote(k, '').replace(/%20/g, '+')}=${pythonQuote(v, ' ').replace(/ /g, '+')}`)
    .join('&');

type Auth =
  | { netrc: { email: string; key: string } }
  | { login: { email: string; password: string } }
  | undefined;

/** One request as the client's ApiSession sends it. */
function gigalixir(
  method: string,
  path: string,
  options: { auth?: Auth; json?: Record<string, string>; params?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    'User-Agent': 'GigalixirCLI/1.16.1',
    'Accept-Encoding': 'gzip, deflate',
    Accept: '*/*',
    Connection: 'keep-alive',
    'Content-Type': 'application/json',
  };
  const { auth } = options;
  if (auth && 'netrc' in auth) {
    headers.Authorization = `Basic ${Buffer.from(`${auth.netrc.email}:${auth.netrc.key}`).toString('base64')}`;
  } else if (auth && 'login' in auth) {
    const user = `${pythonQuote(auth.login.email)}:${pythonQuote(auth.login.password)}`;
    headers.Authorization = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  const body = options.json === undefined ? undefined : pythonJson(options.json);
  // requests sends Content-Length: 0 on a POST, PUT, PATCH or DELETE without a body, none on a GET.
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  else if (method !== 'GET') headers['Content-Length'] = '0';
  const query = options.params && Object.keys(options.params).length ? `?${queryOf(options.params)}` : '';
  return call(method, `${path}${query}`, { headers, ...(body === undefined ? {} : { body }) });
}

async function dataOf<T>(res: Response, status: number): Promise<T> {
  expect(res.status).toBe(status);
  return ((await res.json()) as { data: T }).data;
}

/** `gigalixir signup` as the client walks it (email, code, password, FREE); the tier step's answer. */
async function signUpAsTheClientWith(
  email: string,
  password: string,
): Promise<{ email: string; key: string }> {
  const { uuid } = await dataOf<{ uuid: string }>(
    await gigalixir('POST', '/api/signup', { json: { email } }),
    200,
  );
  const code = /code is (\d{6})/.exec((await mailsTo(email)).at(-1)?.body.text ?? '')?.[1] as string;
  expect((await gigalixir('POST', '/api/signup', { json: { confirmation_code: code, uuid } })).status).toBe(
    200,
  );
  expect((await gigalixir('POST', '/api/signup', { json: { password, uuid } })).status).toBe(200);
  return dataOf<{ email: string; key: string }>(
    await gigalixir('POST', '/api/signup', { json: { tier: 'FREE', uuid } }),
    200,
  );
}

/**
 * What the client prints of a Google start: "To login browse to " and `url`, which is the link,
 * and on the line under it the code (the client never reads `code`). The user opens the one and
 * types the other.
 */
function printed(url: string): { link: string; code: string } {
  const [link = '', line = '', ...more] = url.split('\n');
  expect(more).toEqual([]);
  const code = /type the code (\S+) /.exec(line)?.[1];
  expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
  return { link, code: code as string };
}

/** The signup's key. */
const signUpAsTheClient = async (email: string, password: string): Promise<string> =>
  (await signUpAsTheClientWith(email, password)).key;

describe('the Gigalixir CLI, request for request', () => {
  it('encodes as Python does (the client’s own test vectors)', () => {
    expect(pythonJson({ id: '3' })).toBe('{"id": "3"}');
    expect(pythonJson({ email: 'é@x', b: '"' })).toBe('{"email": "\\u00e9@x", "b": "\\""}');
    expect(queryOf({ current_password: 'p a+s@s/&' })).toBe('current_password=p+a%2Bs%40s%2F%26');
    expect(
      Buffer.from(`${pythonQuote('foo@gigalixir.com')}:${pythonQuote('p:assword')}`).toString('base64'),
    ).toBe('Zm9vJTQwZ2lnYWxpeGlyLmNvbTpwJTNBYXNzd29yZA==');
  });

  it('signs up, logs in, resets its key, changes its password, asks for mails, and sets a password from a reset token', async () => {
    const email = newEmail('gigalixir');
    const password = 'p:ss w/rd@100% sure';
    // signup: email, code, password, tier.
    const signed = await signUpAsTheClientWith(email, password);
    expect(signed.email).toBe(email);
    // account, with the netrc entry the signup wrote.
    const account = await dataOf<{ email: string }>(
      await gigalixir('GET', '/api/users', { auth: { netrc: { email, key: signed.key } } }),
      200,
    );
    expect(account.email).toBe(email);
    // login: percent-encoded Basic, no body, no netrc.
    const { key } = await dataOf<{ key: string }>(
      await gigalixir('GET', '/api/login', { auth: { login: { email, password } } }),
      200,
    );
    // account:api_key:reset: the password in the query string, Content-Length: 0 with JSON's type.
    const reset = await dataOf<{ key: string }>(
      await gigalixir('POST', '/api/api_keys/regenerate', {
        auth: { netrc: { email, key } },
        params: { current_password: password },
      }),
      201,
    );
    const netrc = { email, key: reset.key };
    expect((await gigalixir('GET', '/api/users', { auth: { netrc } })).status).toBe(200);
    // account:password:change
    const NEW = 'a new one, typed twice';
    const changed = await dataOf<{ message: string }>(
      await gigalixir('PATCH', '/api/users/change_password', {
        auth: { netrc },
        json: { current_password: password, new_password: NEW },
      }),
      200,
    );
    expect(changed.message).toEqual(expect.any(String));
    // account:password:reset and account:confirmation:resend: no auth.
    expect((await gigalixir('PUT', '/api/users/reset_password', { json: { email } })).status).toBe(200);
    expect((await gigalixir('PUT', '/api/users/reconfirm_email', { json: { email } })).status).toBe(200);
    // account:password:set: the mailed link's token and a new password (its deprecated form).
    const resetMail = (await mailsTo(email)).find((mail) =>
      /reset-password\?token=/.test(mail.body.text ?? ''),
    );
    const token = linkToken(resetMail as NonNullable<typeof resetMail>, 'reset-password');
    const RESET = 'set from the mailed token';
    expect(
      (await gigalixir('POST', '/api/users/reset_password', { json: { token, password: RESET } })).status,
    ).toBe(200);
    expect(
      (await gigalixir('GET', '/api/login', { auth: { login: { email, password: RESET } } })).status,
    ).toBe(200);
  });

  it('turns MFA on, logs in with a code, renews codes, turns MFA off, and leaves, sending no code', async () => {
    const email = newEmail('gigalixir-mfa');
    const password = 'a passphrase for gigalixir';
    const key = await signUpAsTheClient(email, password);
    // account:mfa:activate: start with {}, verify with the app's code.
    const started = await dataOf<{ message: string; url: string }>(
      await gigalixir('POST', '/api/mfa/start', { auth: { netrc: { email, key } }, json: {} }),
      200,
    );
    expect(started.message).toEqual(expect.any(String));
    const secret = secretOf(started.url);
    const verified = await dataOf<{ message: string; recovery_codes: string[] }>(
      await gigalixir('POST', '/api/mfa/verify', {
        auth: { netrc: { email, key } },
        json: { mfa_token: codeAt(secret) },
      }),
      200,
    );
    expect(verified.recovery_codes).toHaveLength(10);
    // login: 303 without Location (requests would follow one), then again with the code.
    const asked = await gigalixir('GET', '/api/login', { auth: { login: { email, password } } });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBeNull();
    const withCode = await call('GET', `/api/login?${queryOf({ mfa_token: codeAt(secret, 1) })}`, {
      headers: {
        'User-Agent': 'GigalixirCLI/1.16.1',
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${pythonQuote(email)}:${pythonQuote(password)}`).toString('base64')}`,
      },
    });
    const netrc = { email, key: (await dataOf<{ key: string }>(withCode, 200)).key };
    // account:mfa:recovery_codes:regenerate and account:mfa:deactivate send {}: the fresh login covers them.
    const renewed = await dataOf<{ recovery_codes: string[] }>(
      await gigalixir('POST', '/api/mfa/recovery_codes', { auth: { netrc }, json: {} }),
      200,
    );
    expect(renewed.recovery_codes).toHaveLength(10);
    const off = await dataOf<{ message: string }>(
      await gigalixir('DELETE', '/api/mfa', { auth: { netrc }, json: {} }),
      200,
    );
    expect(off.message).toEqual(expect.any(String));
    // account:destroy: the address and the password, no code.
    expect(
      (
        await gigalixir('DELETE', '/api/users/destroy', {
          auth: { netrc },
          json: { email, current_password: password },
        })
      ).status,
    ).toBe(200);
  });

  it('moves the address and goes on with the old address in netrc', async () => {
    const email = newEmail('gigalixir-move');
    const next = newEmail('gigalixir-moved');
    const password = 'a passphrase for moving';
    const key = await signUpAsTheClient(email, password);
    const netrc = { email, key };
    // account:email:set
    expect(
      (
        await gigalixir('POST', '/api/users/email', {
          auth: { netrc },
          json: { next_email: next, current_password: password },
        })
      ).status,
    ).toBe(200);
    const link = (await mailsTo(next)).at(-1);
    expect(
      (await confirmChange(linkToken(link as NonNullable<typeof link>, 'confirm-email-change'))).status,
    ).toBe(200);
    // The client still has the old address in netrc: account goes on working.
    const account = await dataOf<{ email: string }>(
      await gigalixir('GET', '/api/users', { auth: { netrc } }),
      200,
    );
    expect(account.email).toBe(next);
  });

  it('sets a card and upgrades with Stripe tokens, and shows the card', async () => {
    const email = newEmail('gigalixir-card');
    const password = 'a passphrase for cards';
    const key = await signUpAsTheClient(email, password);
    const netrc = { email, key };
    // account:payment_method before there is one: 404, which the client reports as "No payment method found."
    expect((await gigalixir('GET', '/api/payment_methods', { auth: { netrc } })).status).toBe(404);
    // account:payment_method:set and account:upgrade (the client's token from Stripe).
    expect(
      (
        await gigalixir('PUT', '/api/payment_methods', {
          auth: { netrc },
          json: { stripe_token: 'tok_visa' },
        })
      ).status,
    ).toBe(200);
    expect((await gigalixir('GET', '/api/payment_methods', { auth: { netrc } })).status).toBe(200);
    expect(
      (await gigalixir('POST', '/api/upgrade', { auth: { netrc }, json: { stripe_token: 'tok_visa' } }))
        .status,
    ).toBe(200);
    expect(
      await dataOf<{ tier: string }>(await gigalixir('GET', '/api/users', { auth: { netrc } }), 200),
    ).toMatchObject({ tier: 'STANDARD' });
    // account:ssh_keys:add (201, body not read), account:ssh_keys, account:ssh_keys:remove {"id": "..."}.
    expect(
      (
        await gigalixir('POST', '/api/ssh_keys', {
          auth: { netrc },
          json: { ssh_key: newSshKey('gigalixir') },
        })
      ).status,
    ).toBe(201);
    const [sshKey] = await dataOf<{ id: string; key: string }[]>(
      await gigalixir('GET', '/api/ssh_keys', { auth: { netrc } }),
      200,
    );
    expect(sshKey?.key).toMatch(/^ssh-ed25519 \S+ gigalixir$/);
    expect(
      (await gigalixir('DELETE', '/api/ssh_keys', { auth: { netrc }, json: { id: String(sshKey?.id) } }))
        .status,
    ).toBe(200);
    // account:invoices
    expect(
      await dataOf<unknown[]>(await gigalixir('GET', '/api/invoices', { auth: { netrc } }), 200),
    ).toEqual(expect.any(Array));
  });

  it('signs up with Google: the code printed under the link, typed on the page, then the tier', async () => {
    const email = newEmail('gigalixir-google-signup');
    // signup:google: {"oauth": "google"}; it reads session, url and uuid.
    const started = await dataOf<{ session: string; url: string; uuid: string }>(
      await gigalixir('POST', '/api/signup', { json: { oauth: 'google' } }),
      200,
    );
    const { link, code } = printed(started.url);
    expect((await gigalixir('GET', `/api/oauth/google/${started.session}`)).status).toBe(204);
    const back = await signInAtGoogle(link, email);
    // Even from the terminal's own network, a signup is finished with the code, never a button.
    const browser = newBrowser(sourceIp);
    expect(await (await callback(back, browser)).text()).toContain('name="code"');
    expect((await pressSignIn(stateOf(back), browser)).status).toBe(400);
    expect((await enterCode(stateOf(back), code, browser)).status).toBe(200);
    const proven = await dataOf<{ email: string }>(
      await gigalixir('GET', `/api/oauth/google/${started.session}`),
      200,
    );
    expect(proven.email).toBe(email);
    // No promo code, tier 1 (FREE), "Do you wish to proceed?": the tier step, and netrc gets the key.
    const done = await dataOf<{ email: string; key: string }>(
      await gigalixir('POST', '/api/signup', { json: { tier: 'FREE', uuid: started.uuid } }),
      200,
    );
    expect(done.email).toBe(email);
    expect((await gigalixir('GET', '/api/users', { auth: { netrc: done } })).status).toBe(200);
  });

  it('logs in with Google from another network: the code printed under the link, typed on the page', async () => {
    const email = newEmail('gigalixir-google-code');
    await activeAccount(email);
    const started = await dataOf<{ url: string; session: string }>(
      await gigalixir('POST', '/api/oauth/google'),
      201,
    );
    const { link, code } = printed(started.url);
    const back = await signInAtGoogle(link, email);
    const browser = newBrowser();
    expect(await (await callback(back, browser)).text()).toContain('name="code"');
    expect((await enterCode(stateOf(back), code, browser)).status).toBe(200);
    const done = await dataOf<{ email: string; key: string }>(
      await gigalixir('GET', `/api/oauth/google/${started.session}`),
      200,
    );
    expect((await gigalixir('GET', '/api/users', { auth: { netrc: done } })).status).toBe(200);
  });

  it('is told what works when MFA is on and the code finished it: it cannot send one with its poll', async () => {
    const account = await mfaAccount(newEmail('gigalixir-google-code-mfa'));
    const started = await dataOf<{ url: string; session: string }>(
      await gigalixir('POST', '/api/oauth/google'),
      201,
    );
    const { link, code } = printed(started.url);
    const back = await signInAtGoogle(link, account.email);
    const browser = newBrowser();
    await callback(back, browser);
    expect((await enterCode(stateOf(back), code, browser)).status).toBe(200);
    // A code typed on the page after a phished terminal code would give the factor away: the
    // terminal gives it, and this client cannot. It prints errors[""] ("Oauth login ...").
    const res = await gigalixir('GET', `/api/oauth/google/${started.session}`);
    expect(res.status).toBe(303);
    expect(((await res.json()) as { errors: Record<string, string[]> }).errors['']).toEqual([
      NO_CODE_AT_THIS_TERMINAL,
    ]);
  });

  it('logs in with Google: an empty JSON post, one button in the browser on its network, its poll', async () => {
    const email = newEmail('gigalixir-google');
    await activeAccount(email);
    const started = await dataOf<{ url: string; session: string }>(
      await gigalixir('POST', '/api/oauth/google'),
      201,
    );
    // The client prints the URL and polls every 4 s (204 while pending); it shows no code.
    expect((await gigalixir('GET', `/api/oauth/google/${started.session}`)).status).toBe(204);
    const back = await signInAtGoogle(printed(started.url).link, email);
    const browser = newBrowser(sourceIp);
    expect((await callback(back, browser)).status).toBe(200);
    expect((await pressSignIn(stateOf(back), browser)).status).toBe(200);
    const done = await dataOf<{ email: string; key: string }>(
      await gigalixir('GET', `/api/oauth/google/${started.session}`),
      200,
    );
    expect(done.email).toBe(email);
    expect((await gigalixir('GET', '/api/users', { auth: { netrc: { email, key: done.key } } })).status).toBe(
      200,
    );
  });

  it('logs in with Google to an account with MFA on: the page takes the code, and its bare polls get the key', async () => {
    const account = await mfaAccount(newEmail('gigalixir-google-mfa'));
    const started = await dataOf<{ url: string; session: string }>(
      await gigalixir('POST', '/api/oauth/google'),
      201,
    );
    const back = await signInAtGoogle(printed(started.url).link, account.email);
    const browser = newBrowser(sourceIp);
    expect((await callback(back, browser)).status).toBe(200);
    const asked = await pressSignIn(stateOf(back), browser);
    expect(await asked.text()).toContain('name="mfa_token"');
    // The client polls with no code while the page asks, and would give up on a 303.
    expect((await gigalixir('GET', `/api/oauth/google/${started.session}`)).status).toBe(204);
    expect(
      (await enterCodeWith(stateOf(back), { mfa_token: codeAt(account.secret, 1) }, browser)).status,
    ).toBe(200);
    const done = await dataOf<{ email: string; key: string }>(
      await gigalixir('GET', `/api/oauth/google/${started.session}`),
      200,
    );
    expect(done.email).toBe(account.email);
  });
});
