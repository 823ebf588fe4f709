// Every command of `gatehouse`, one entry each: its flags (each question has one, so scripts run
// without a terminal), its help, and what it does against the API.
import { readFile } from 'node:fs/promises';
import { type Api, basicAuth, dataOf, failure, type Reply } from './api.ts';
import { cardToken, checkCard } from './card.ts';
import { CliError, errorLines, UsageError } from './errors.ts';
import { readCredentials, removeCredentials, saveCredentials } from './netrc.ts';
import { ask, confirm } from './prompt.ts';
import { terminalQr } from './qr.ts';

type Flags = Record<string, string | boolean | undefined>;

interface Option {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly help: string;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly details?: string;
  readonly options: Record<string, Option>;
  /**
   * The option one bare argument stands for (`account:api_keys:revoke ID`), if any. Other commands
   * take none: a stray word may be half of an unquoted password, never to be sent or echoed.
   */
  readonly positional?: string;
  run(context: { api: Api; flags: Flags }): Promise<void>;
}

/** Data for scripts: pretty JSON on stdout. */
const out = (data: unknown): void => {
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
};
/** The API's `{data: {message}}`, told to the user. */
const tell = (reply: Reply): void => say(dataOf<{ message: string }>(reply).message);

/** Words for people: stderr. */
const say = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

const text = (flags: Flags, name: string): string | undefined => {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
};

/** The flag's value, or the answer to `question`. */
async function value(flags: Flags, name: string, question: string, hidden = false): Promise<string> {
  const given = text(flags, name);
  if (given !== undefined) return given;
  const answer = await ask(question, { hidden, flag: `--${name}` });
  if (!answer) throw new UsageError(`${question}: an answer is needed (or pass --${name}).`);
  return answer;
}

/**
 * Sends with --mfa-token if given; with MFA on, the API asks for a code (400 under mfa_token) when
 * none was sent and the login was not recent: then the code is asked for and the request sent again.
 */
async function withCodeIfAsked(flags: Flags, send: (code?: string) => Promise<Reply>): Promise<Reply> {
  const given = text(flags, 'mfa-token');
  const reply = await send(given);
  const asked = (reply.body as { errors?: Record<string, unknown> } | undefined)?.errors?.mfa_token;
  if (reply.status !== 400 || !asked || given) return reply;
  return send(await ask('Code from your authenticator app (or a recovery code)', { flag: '--mfa-token' }));
}

const EMAIL: Record<string, Option> = { email: { type: 'string', short: 'e', help: 'your email address' } };
const PASSWORD: Record<string, Option> = { password: { type: 'string', short: 'p', help: 'your password' } };
const CURRENT: Record<string, Option> = {
  password: { type: 'string', short: 'p', help: 'your current password' },
};
const MFA: Record<string, Option> = {
  'mfa-token': { type: 'string', help: 'a code from your authenticator app, or a recovery code' },
};
const CARD: Record<string, Option> = {
  'card-number': { type: 'string', help: 'card number (checked here, sent only to Stripe)' },
  'card-expiry': { type: 'string', help: 'expiry, MM/YY' },
  'card-cvc': { type: 'string', help: 'the 3 or 4 digits on the card' },
};

/**
 * The platform's git host, where the server names one (`/api/public/config`): the same key is kept
 * for it, so `git push` authenticates as this account. Undefined when none is named or the server
 * cannot say (an older one): the API's own entry is all there is then.
 */
async function gitHostOf(api: Api): Promise<string | undefined> {
  try {
    const reply = await api.call('GET', '/api/public/config');
    if (reply.status !== 200) return undefined;
    const host = dataOf<{ git_host?: string | null }>(reply).git_host;
    return typeof host === 'string' && host !== '' && host !== api.host ? host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes this API's entry from netrc (and one under the name with the port, from before), and the
 * git host's entry where it holds this API's key: a key of the git host's own is not ours to drop.
 */
async function forget(api: Api) {
  const [ours, gitHost] = await Promise.all([readCredentials(api.host), gitHostOf(api)]);
  const theirs = gitHost === undefined ? undefined : await readCredentials(gitHost);
  if (gitHost !== undefined && ours !== undefined && theirs?.password === ours.password) {
    await removeCredentials(gitHost);
  }
  await removeCredentials(api.host);
  if (api.legacyHost) await removeCredentials(api.legacyHost);
}

/** Saves a fresh key for this API in netrc, and for the platform's git host where there is one. */
async function keep(api: Api, email: string, key: string) {
  const gitHost = await gitHostOf(api);
  await saveCredentials(api.host, { login: email, password: key });
  if (gitHost !== undefined) await saveCredentials(gitHost, { login: email, password: key });
  if (api.legacyHost) await removeCredentials(api.legacyHost);
  say(
    `Logged in as ${email}. The key is in your netrc, for ${api.host}${gitHost === undefined ? '' : ` and for git at ${gitHost}`}.`,
  );
}

/**
 * Asks for a second-factor code while the API answers 303 (the flag's code first, then at most
 * three answers), calling `attempt` with each.
 */
async function withSecondFactor(
  flags: Flags,
  attempt: (code?: string) => Promise<Reply>,
  options: { askFirst?: boolean; beforeAsking?: () => void } = {},
): Promise<Reply> {
  const flag = text(flags, 'mfa-token');
  // A code is sent with the first attempt unless the server may not want one yet (Google's poll,
  // which answers 204 for minutes: a TOTP code would be stale by the time it asks).
  let reply = await attempt(options.askFirst ? undefined : flag);
  let sentFlag = !options.askFirst && flag !== undefined;
  for (let tries = 0; reply.status === 303 && tries < 3; tries++) {
    if (flag !== undefined && sentFlag) break;
    options.beforeAsking?.();
    if (tries > 0) say(errorLines(reply.body).join('\n') || 'That code was not accepted.');
    const code =
      flag ?? (await ask('Code from your authenticator app (or a recovery code)', { flag: '--mfa-token' }));
    sentFlag = flag !== undefined;
    reply = await attempt(code);
  }
  if (reply.status === 303)
    throw new CliError(errorLines(reply.body).join('\n') || 'A code from your authenticator app is needed.');
  return reply;
}

async function passwordLogin(api: Api, flags: Flags): Promise<void> {
  const email = await value(flags, 'email', 'Email');
  const password = await value(flags, 'password', 'Password', true);
  const reply = await withSecondFactor(flags, (code) =>
    api.call('GET', '/api/login', { auth: basicAuth(email, password), query: { mfa_token: code } }),
  );
  const { key } = dataOf<{ key: string }>(reply);
  await keep(api, email.trim().toLowerCase(), key);
}

/** Card details from flags or questions, checked, then a Stripe token made with the publishable key. */
async function cardTokenFrom(api: Api, flags: Flags): Promise<string> {
  const card = checkCard({
    number: await value(flags, 'card-number', 'Card number'),
    expiry: await value(flags, 'card-expiry', 'Expiry (MM/YY)'),
    cvc: await value(flags, 'card-cvc', 'CVC', true),
  });
  const config = dataOf<{ stripe_publishable_key: string | null }>(
    await api.call('GET', '/api/public/config'),
  );
  if (!config.stripe_publishable_key) throw new CliError('Billing is not configured on this server.');
  return cardToken(card, config.stripe_publishable_key);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Polls a Google sign-in every 2 s (with a spinner on a terminal) until it ends; 10 minutes at most. */
async function pollGoogle(api: Api, session: string, flags: Flags): Promise<Reply> {
  const deadline = Date.now() + 10 * 60_000;
  const clearSpinner = () => {
    if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
  };
  for (let turn = 0; Date.now() < deadline; turn++) {
    const reply = await withSecondFactor(
      flags,
      (code) => api.call('GET', `/api/oauth/google/${session}`, { query: { mfa_token: code } }),
      { askFirst: true, beforeAsking: clearSpinner },
    );
    if (reply.status === 429) {
      // Polled too often (several sign-ins from one address): wait as told, then go on.
      await sleep(Number(reply.headers.get('retry-after') ?? 10) * 1000);
      continue;
    }
    if (reply.status !== 204) {
      clearSpinner();
      return reply;
    }
    if (process.stderr.isTTY)
      process.stderr.write(`\r${SPINNER[turn % SPINNER.length]} Waiting for Google...`);
    await sleep(2000);
  }
  throw new CliError('The Google sign-in took longer than 10 minutes: start again.');
}

function showGoogle(start: { url: string; code: string }) {
  say(
    `Open this page, sign in with Google, then type the code ${start.code} where it asks:\n\n  ${start.url}\n`,
  );
}

async function signupStep(api: Api, body: Record<string, unknown>): Promise<Reply> {
  return api.call('POST', '/api/signup', { body });
}

/** Retries a signup step whose answer came from a question (at most 3 times); a flag's is final. */
async function stepWith(
  api: Api,
  flags: Flags,
  field: string,
  question: string,
  body: (answer: string) => Record<string, unknown>,
  hidden = false,
): Promise<Reply> {
  for (let tries = 0; ; tries++) {
    const answer = await value(flags, field, question, hidden);
    const reply = await signupStep(api, body(answer));
    if (reply.status !== 400 || text(flags, field) !== undefined || tries >= 2) return reply;
    say(errorLines(reply.body).join('\n'));
  }
}

async function finishSignup(api: Api, flags: Flags, uuid: string, promo: boolean): Promise<void> {
  const tier = promo ? 'STANDARD' : (text(flags, 'tier')?.toUpperCase() ?? 'FREE');
  if (tier !== 'FREE' && tier !== 'STANDARD') throw new UsageError('--tier is FREE or STANDARD');
  // STANDARD needs a card, unless a promo pays for it (then a card is taken only when given).
  if (tier === 'STANDARD' && (!promo || text(flags, 'card-number') !== undefined))
    dataOf(await signupStep(api, { uuid, stripe_token: await cardTokenFrom(api, flags) }));
  const { email, key } = dataOf<{ email: string; key: string }>(await signupStep(api, { uuid, tier }));
  say(`Welcome to Gatehouse: your ${tier} account is ready.`);
  await keep(api, email, key);
}

const SIGNUP_TIER: Record<string, Option> = {
  tier: { type: 'string', help: 'FREE (the default) or STANDARD (needs a card)' },
  promo: { type: 'string', help: 'a promo code (makes the account STANDARD)' },
  ...CARD,
};

export const commands: readonly Command[] = [
  {
    name: 'signup',
    summary: 'Create an account: a code is mailed to you, then you choose a password',
    options: {
      ...EMAIL,
      code: { type: 'string', short: 'c', help: 'the confirmation code from the mail' },
      ...PASSWORD,
      ...SIGNUP_TIER,
    },
    async run({ api, flags }) {
      const email = await value(flags, 'email', 'Email');
      const { uuid } = dataOf<{ uuid: string }>(await signupStep(api, { email }));
      say(`A confirmation code is on its way to ${email}.`);
      dataOf(
        await stepWith(api, flags, 'code', 'Confirmation code', (code) => ({
          uuid,
          confirmation_code: code,
        })),
      );
      dataOf(
        await stepWith(
          api,
          flags,
          'password',
          'Choose a password (12+ characters)',
          (password) => ({ uuid, password }),
          true,
        ),
      );
      const promo = text(flags, 'promo');
      if (promo) {
        const { promo: applied } = dataOf<{ promo: { code: string; credit_cents: number } }>(
          await signupStep(api, { uuid, promo_code: promo }),
        );
        say(`Promo ${applied.code}: ${(applied.credit_cents / 100).toFixed(2)} of credit.`);
      }
      await finishSignup(api, flags, uuid, promo !== undefined);
    },
  },
  {
    name: 'signup:google',
    summary: 'Create an account with Google sign-in',
    options: { ...SIGNUP_TIER },
    async run({ api, flags }) {
      const start = dataOf<{ uuid: string; session: string; url: string; code: string }>(
        await signupStep(api, { oauth: 'google' }),
      );
      showGoogle(start);
      const { email } = dataOf<{ email: string }>(await pollGoogle(api, start.session, flags));
      say(`Google says you are ${email}.`);
      const promo = text(flags, 'promo');
      if (promo) dataOf(await signupStep(api, { uuid: start.uuid, promo_code: promo }));
      await finishSignup(api, flags, start.uuid, promo !== undefined);
    },
  },
  {
    name: 'login',
    summary: 'Log in with your email and password; the API key goes to your netrc',
    options: { ...EMAIL, ...PASSWORD, ...MFA },
    run: ({ api, flags }) => passwordLogin(api, flags),
  },
  {
    name: 'login:google',
    summary: 'Log in with Google; the API key goes to your netrc',
    options: { ...MFA },
    async run({ api, flags }) {
      const start = dataOf<{ session: string; url: string; code: string }>(
        await api.call('POST', '/api/oauth/google'),
      );
      showGoogle(start);
      const { email, key } = dataOf<{ email: string; key: string }>(
        await pollGoogle(api, start.session, flags),
      );
      await keep(api, email, key);
    },
  },
  {
    name: 'logout',
    summary: "Revoke this machine's API key and remove it from your netrc",
    options: {},
    async run({ api }) {
      const reply = await api.withKey('DELETE', '/api/api_keys/current');
      if (process.env.GATEHOUSE_API_KEY?.trim()) {
        // The key came from the environment: it is revoked, and netrc (another key) stays.
        dataOf(reply);
        return say('The key in GATEHOUSE_API_KEY no longer works; your netrc is as it was.');
      }
      // A key revoked already (elsewhere, or by turning MFA on) still leaves this machine.
      if (reply.status !== 401) dataOf(reply);
      await forget(api);
      say(`Logged out of ${api.host}.`);
    },
  },
  {
    name: 'account',
    summary: 'Your account: email, tier, credit, limits, MFA',
    options: {},
    run: async ({ api }) => out(dataOf(await api.withKey('GET', '/api/users'))),
  },
  {
    name: 'account:upgrade',
    summary: 'Upgrade to STANDARD (with the card on file, or a new one)',
    options: { promo: { type: 'string', help: 'a promo code' }, ...CARD },
    async run({ api, flags }) {
      const newCard = text(flags, 'card-number') !== undefined;
      const body = {
        ...(newCard ? { stripe_token: await cardTokenFrom(api, flags) } : {}),
        ...(text(flags, 'promo') ? { promo_code: text(flags, 'promo') } : {}),
      };
      out(dataOf(await api.withKey('POST', '/api/upgrade', { body })));
    },
  },
  {
    name: 'account:payment_method',
    summary: 'The card on file',
    options: {},
    async run({ api }) {
      const reply = await api.withKey('GET', '/api/payment_methods');
      if (reply.status === 404)
        throw new CliError('No card on file: add one with `gatehouse account:payment_method:set`.');
      out(dataOf(reply));
    },
  },
  {
    name: 'account:ssh_keys',
    summary: 'Your SSH keys, with their fingerprints',
    options: {},
    async run({ api }) {
      out(dataOf(await api.withKey('GET', '/api/ssh_keys')));
    },
  },
  {
    name: 'account:ssh_keys:add',
    summary: 'Add an SSH public key (what git and shell hosts of the platform will take as yours)',
    options: {
      key: { type: 'string', help: 'the public key line, e.g. "$(cat ~/.ssh/id_ed25519.pub)"' },
      file: { type: 'string', help: 'a .pub file to read it from instead' },
    },
    async run({ api, flags }) {
      const file = text(flags, 'file');
      const key =
        file === undefined
          ? await value(flags, 'key', 'Public key (one line)')
          : await readFile(file, 'utf8').catch(() => {
              throw new UsageError(`Cannot read ${file}.`);
            });
      out(dataOf(await api.withKey('POST', '/api/ssh_keys', { body: { ssh_key: key } })));
    },
  },
  {
    name: 'account:ssh_keys:remove',
    summary: 'Remove an SSH key by its id (see account:ssh_keys)',
    options: { id: { type: 'string', help: 'the key’s id' } },
    async run({ api, flags }) {
      const id = await value(flags, 'id', 'Id of the key');
      tell(await api.withKey('DELETE', '/api/ssh_keys', { body: { id } }));
    },
  },
  {
    name: 'account:invoices',
    summary: 'Your invoices, newest first, with a link to each PDF',
    options: {},
    async run({ api }) {
      out(dataOf(await api.withKey('GET', '/api/invoices')));
    },
  },
  {
    name: 'account:payment_method:set',
    summary: 'Set the card on file (the number goes to Stripe only)',
    options: { ...CARD },
    async run({ api, flags }) {
      const token = await cardTokenFrom(api, flags);
      out(dataOf(await api.withKey('PUT', '/api/payment_methods', { body: { stripe_token: token } })));
    },
  },
  {
    name: 'account:email:set',
    summary: 'Change your email address (confirmed from the new address)',
    options: { email: { type: 'string', short: 'e', help: 'the new address' }, ...CURRENT },
    async run({ api, flags }) {
      const next = await value(flags, 'email', 'New email address');
      const password = await value(flags, 'password', 'Current password', true);
      tell(
        await api.withKey('POST', '/api/users/email', {
          body: { next_email: next, current_password: password },
        }),
      );
    },
  },
  {
    name: 'account:password:change',
    summary: 'Change your password (your other keys are revoked)',
    options: {
      ...CURRENT,
      'new-password': { type: 'string', help: 'the new password (12+ characters)' },
    },
    async run({ api, flags }) {
      const current = await value(flags, 'password', 'Current password', true);
      const next = await value(flags, 'new-password', 'New password', true);
      tell(
        await api.withKey('PATCH', '/api/users/change_password', {
          body: { current_password: current, new_password: next },
        }),
      );
    },
  },
  {
    name: 'account:password:reset',
    summary: 'Mail yourself a link to choose a new password; with --token, set it',
    options: {
      ...EMAIL,
      token: { type: 'string', help: 'the token from the reset link (then sets the password)' },
      'new-password': { type: 'string', help: 'the new password, with --token' },
    },
    async run({ api, flags }) {
      const token = text(flags, 'token');
      if (token) {
        const password = await value(flags, 'new-password', 'New password', true);
        tell(await api.call('POST', '/api/users/reset_password', { body: { token, password } }));
        return;
      }
      const email = await value(flags, 'email', 'Email');
      tell(await api.call('PUT', '/api/users/reset_password', { body: { email } }));
    },
  },
  {
    name: 'account:confirmation:resend',
    summary: 'Mail a new confirmation link (accounts made on the web)',
    options: { ...EMAIL },
    async run({ api, flags }) {
      const email = await value(flags, 'email', 'Email');
      tell(await api.call('PUT', '/api/users/reconfirm_email', { body: { email } }));
    },
  },
  {
    name: 'account:api_key:reset',
    summary: 'Replace your API key: every other key stops working',
    options: { ...CURRENT },
    async run({ api, flags }) {
      const { email: login } = dataOf<{ email: string }>(await api.withKey('GET', '/api/users'));
      const password = await value(flags, 'password', 'Current password', true);
      const { key } = dataOf<{ key: string }>(
        await api.withKey('POST', '/api/api_keys/regenerate', { body: { current_password: password } }),
      );
      await keep(api, login, key);
    },
  },
  {
    name: 'account:api_keys',
    summary: 'Where you are logged in: your keys (never their secret)',
    options: {},
    run: async ({ api }) => out(dataOf(await api.withKey('GET', '/api/api_keys'))),
  },
  {
    name: 'account:activity',
    summary: 'What happened on your account, newest first: logins, failed logins, key and factor changes',
    details: 'Prints one page (50 events) and next_cursor; --cursor shows the page after, --all every page.',
    options: {
      cursor: { type: 'string', help: 'the next_cursor a page before printed' },
      all: { type: 'boolean', help: 'every page, as one list' },
    },
    async run({ api, flags }) {
      type Page = { events: unknown[]; next_cursor: string | null };
      const page = (cursor?: string) =>
        api.withKey('GET', '/api/users/events', { query: { cursor } }).then((r) => dataOf<Page>(r));
      const first = await page(text(flags, 'cursor'));
      if (!flags.all) return out(first);
      const events = [...first.events];
      for (let next = first.next_cursor; next !== null; ) {
        const more = await page(next);
        events.push(...more.events);
        next = more.next_cursor;
      }
      out({ events, next_cursor: null });
    },
  },
  {
    name: 'account:export',
    summary:
      'Download everything Gatehouse keeps about your account, as JSON (gatehouse account:export > me.json)',
    details:
      'Profile, billing references, linked Google identity, API and SSH keys, the whole activity. No secret is in it.',
    options: { ...CURRENT },
    async run({ api, flags }) {
      const password = await value(flags, 'password', 'Current password', true);
      out(dataOf(await api.withKey('POST', '/api/users/export', { body: { current_password: password } })));
    },
  },
  {
    name: 'account:api_keys:create',
    summary: 'Create a named API key for CI or a script: full or read-only, expiring or not',
    details:
      'The key is printed once, on stdout; it is not saved in netrc. Give it to the machine as GATEHOUSE_API_KEY. With MFA on, a code is asked for unless you logged in with one in the last minutes.',
    options: {
      name: { type: 'string', help: 'what the key is for, e.g. ci (shown in account:api_keys)' },
      scope: { type: 'string', help: 'full (everything) or read (GET requests only)' },
      expires: { type: 'string', help: 'days until it stops working, 1 to 365 (default: never)' },
      ...CURRENT,
      ...MFA,
    },
    async run({ api, flags }) {
      const name = await value(flags, 'name', 'Name of the key (what it is for)');
      const scope = await value(flags, 'scope', 'Scope: full or read');
      if (scope !== 'full' && scope !== 'read') throw new UsageError('--scope is full or read.');
      const expires = text(flags, 'expires');
      if (expires !== undefined && !/^\d{1,3}$/.test(expires))
        throw new UsageError('--expires is a number of days, 1 to 365.');
      const password = await value(flags, 'password', 'Current password', true);
      const create = (code?: string) =>
        api.withKey('POST', '/api/api_keys', {
          body: {
            name,
            scope,
            current_password: password,
            ...(expires === undefined ? {} : { expires_in_days: Number(expires) }),
            ...(code ? { mfa_token: code } : {}),
          },
        });
      const reply = await withCodeIfAsked(flags, create);
      const made = dataOf<{ key: string; id: string; scope: string; expires_at: string | null }>(reply);
      say(
        `Created the ${made.scope === 'read' ? 'read-only ' : ''}key "${name}" (id ${made.id}), ${made.expires_at ? `expiring ${made.expires_at}` : 'never expiring'}. It is shown only now:`,
      );
      process.stdout.write(`${made.key}\n`);
    },
  },
  {
    name: 'account:api_keys:revoke',
    summary: 'Revoke one of your API keys by its id (see account:api_keys), or all but this one',
    details: 'gatehouse account:api_keys:revoke ID, or --others to log out everywhere else.',
    positional: 'id',
    options: {
      id: { type: 'string', help: 'the key’s id (or give it bare, after the command)' },
      others: { type: 'boolean', help: 'every key but the one this machine uses: log out everywhere else' },
    },
    async run({ api, flags }) {
      if (flags.others && flags.id) throw new UsageError('Give an id or --others, not both.');
      if (flags.others) return tell(await api.withKey('DELETE', '/api/api_keys/others'));
      const id = await value(flags, 'id', 'Id of the key');
      tell(await api.withKey('DELETE', `/api/api_keys/${encodeURIComponent(id)}`));
    },
  },
  {
    name: 'account:mfa:activate',
    summary: 'Turn on multi-factor authentication with an authenticator app',
    details:
      'Shows a QR code and its otpauth:// URL, asks for a code from the app, then shows your recovery codes once.',
    options: {
      ...MFA,
      yes: { type: 'boolean', short: 'y', help: 'show the recovery codes without asking first' },
    },
    async run({ api, flags }) {
      const { url } = dataOf<{ url: string }>(await api.withKey('POST', '/api/mfa/start', { body: {} }));
      say(
        `Scan this with your authenticator app:\n\n${terminalQr(url, !process.stderr.isTTY || process.env.NO_COLOR !== undefined)}\n\nor add it by hand: ${url}\n`,
      );
      // A typo is no reason to start over (a rerun shows the same secret, too): three tries when
      // asking, one when the code came as a flag.
      const verify = async (code: string) =>
        api.withKey('POST', '/api/mfa/verify', { body: { mfa_token: code } });
      let reply = await verify(await value(flags, 'mfa-token', 'Code from the app'));
      for (
        let tries = 1;
        reply.status === 400 && text(flags, 'mfa-token') === undefined && tries < 3;
        tries++
      ) {
        say(`${failure(reply).message}\nTry again with the code the app shows now.`);
        reply = await verify(await value(flags, 'mfa-token', 'Code from the app'));
      }
      const { message, recovery_codes: codes } = dataOf<{ message: string; recovery_codes: string[] }>(reply);
      say(message);
      say('Next: 10 recovery codes, each good once, for when your phone is not at hand. Shown only now.');
      // MFA is on whatever is answered here (or not: no terminal, Ctrl-C): the codes are shown.
      const ready = flags.yes === true || (await confirm('Ready to save them?', '--yes').catch(() => false));
      if (!ready) say('Save them now anyway: they will not be shown again.');
      out({ recovery_codes: codes });
    },
  },
  {
    name: 'account:mfa:deactivate',
    summary: 'Turn off multi-factor authentication',
    options: { ...CURRENT, ...MFA },
    async run({ api, flags }) {
      const password = await value(flags, 'password', 'Current password', true);
      const code = await value(flags, 'mfa-token', 'Code from your authenticator app (or a recovery code)');
      tell(
        await api.withKey('DELETE', '/api/mfa', { body: { mfa_token: code, current_password: password } }),
      );
    },
  },
  {
    name: 'account:mfa:recovery_codes:regenerate',
    summary: 'New recovery codes; the old ones stop working',
    options: { ...MFA },
    async run({ api, flags }) {
      const code = await value(flags, 'mfa-token', 'Code from your authenticator app');
      out(dataOf(await api.withKey('POST', '/api/mfa/recovery_codes', { body: { mfa_token: code } })));
    },
  },
  {
    name: 'account:destroy',
    summary: 'Delete your account and everything it holds, for good',
    options: {
      ...CURRENT,
      ...MFA,
      yes: { type: 'boolean', short: 'y', help: 'do not ask for confirmation' },
    },
    async run({ api, flags }) {
      // The address as the account has it now (netrc's may predate an email change).
      const { email: login } = dataOf<{ email: string }>(await api.withKey('GET', '/api/users'));
      say(
        `This deletes the account ${login}: its keys, its card at Stripe, its history. It cannot be undone.`,
      );
      if (!flags.yes && !(await confirm('Delete it?', '--yes'))) throw new CliError('Nothing was deleted.');
      const password = await value(flags, 'password', 'Current password', true);
      const destroy = (code?: string) =>
        api.withKey('DELETE', '/api/users/destroy', {
          body: { email: login, current_password: password, ...(code ? { mfa_token: code } : {}) },
        });
      const reply = await withCodeIfAsked(flags, destroy);
      const { message } = dataOf<{ message: string }>(reply);
      await forget(api);
      say(message);
    },
  },
];
