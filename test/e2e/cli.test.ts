// The `gatehouse` CLI end to end: the package's bin run as a child process against `npm start`,
// through a user's whole story, questions answered on stdin, the code read from the local mail
// store, MFA codes computed from the otpauth URL the CLI shows, netrc checked byte for byte.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../local/wait.ts';
import { gatehouse, newHome } from '../support/cli.ts';
import { throughGoogle } from '../support/google-browser.ts';
import { basic, json, newEmail, PASSWORD } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { codeAt, secretOf, wrongCode } from '../support/mfa.ts';
import { npmStart, type RunningStack } from '../support/npm-start.ts';
import { newSshKey } from '../support/ssh.ts';

let stack: RunningStack;
beforeAll(async () => {
  stack = await npmStart();
});
afterAll(() => stack?.kill());

const OTHERS = '# kept as it is\nmachine api.heroku.com\n  login me@example.com\n  password h-secret\n';
const NEW_PASSWORD = 'another long passphrase';

async function newestMail(to: string, subject: RegExp) {
  let found: Awaited<ReturnType<typeof mailsTo>>[number] | undefined;
  await waitFor(`a mail to ${to}`, async () => {
    found = (await mailsTo(to, stack.mail)).filter((m) => subject.test(m.subject)).at(-1);
    return found !== undefined;
  });
  return found as NonNullable<typeof found>;
}

/** `gatehouse signup` from flags, the code read from the mail: the account exists, its key in netrc. */
async function cliSignup(email: string, home: string, env: Record<string, string>) {
  const signup = await gatehouse(['signup', '-e', email, '-p', PASSWORD], {
    home,
    env,
    answers: [
      async () => /code: (\d{6})/.exec((await newestMail(email, /confirmation code/)).subject)?.[1] ?? '',
    ],
  });
  expect(signup.status, signup.stderr).toBe(0);
}

describe('the gatehouse CLI', () => {
  it('walks a user from signup to deletion, keeping netrc tidy', async () => {
    const home = await newHome();
    const netrc = join(home, '.netrc');
    await writeFile(netrc, OTHERS, { mode: 0o600 });
    const env = { GATEHOUSE_API_URL: stack.api };
    // Keyed by host name alone, as curl's --netrc and Python's netrc look entries up.
    const host = new URL(stack.api).hostname;
    const run = (args: string[], answers: Parameters<typeof gatehouse>[1]['answers'] = []) =>
      gatehouse(args, { home, env, answers });
    const entry = async () => (await readFile(netrc, 'utf8')).slice(OTHERS.length);
    const email = newEmail('cli');

    // Signup: the code from the mail, a password; FREE by default; logged in.
    const signup = await run(
      ['signup', '-e', email],
      [
        async () => /code: (\d{6})/.exec((await newestMail(email, /confirmation code/)).subject)?.[1] ?? '',
        PASSWORD,
      ],
    );
    expect(signup.status, signup.stderr).toBe(0);
    expect(signup.stderr).toContain(`Logged in as ${email}`);
    expect(await entry()).toMatch(
      new RegExp(`^machine ${host.replace(/\./g, '\\.')}\\n  login ${email}\\n  password gh_key_\\S+\\n$`),
    );
    expect((await stat(netrc)).mode & 0o777).toBe(0o600);
    expect((await readFile(netrc, 'utf8')).startsWith(OTHERS)).toBe(true);

    const account = await run(['account']);
    expect(account.status).toBe(0);
    expect(JSON.parse(account.stdout)).toMatchObject({ email, tier: 'FREE', mfa_enabled: false });
    // curl finds the entry too: Basic email:key from netrc is a credential the API takes.
    if (existsSync('/usr/bin/curl')) {
      const curl = spawnSync(
        'curl',
        ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--netrc-file', netrc, `${stack.api}/api/users`],
        {
          encoding: 'utf8',
        },
      );
      expect(curl.stdout).toBe('200');
    } else console.warn('Skipping the curl --netrc check: /usr/bin/curl is missing.');

    // MFA: the code computed from the URL the CLI shows (as an app would scan it), then the codes.
    // A typo given as a flag ends the command; the rerun shows the same secret (the scan stays
    // right), and a typo there is asked again.
    let secret: Uint8Array = new Uint8Array();
    const typo = await run(['account:mfa:activate', '--mfa-token', '000000']);
    expect(typo.status).toBe(1);
    const firstUrl = /otpauth:\/\/\S+/.exec(typo.stderr)?.[0];
    const activate = await run(
      ['account:mfa:activate'],
      [
        (said) => {
          const url = /otpauth:\/\/\S+/.exec(said)?.[0] ?? '';
          expect(url).toBe(firstUrl);
          secret = secretOf(url);
          return wrongCode(secret);
        },
        () => codeAt(secret),
        'n',
      ],
    );
    expect(activate.status, activate.stderr).toBe(0);
    expect(activate.stderr).toContain('Try again with the code the app shows now.');
    expect(activate.stderr).toContain('Ready to save them? [y/N]: ');
    // Not ready: shown anyway, since MFA is on and they will never be shown again.
    expect(activate.stderr).toContain('Save them now anyway');
    expect(activate.stderr).toContain('▀');
    const { recovery_codes: codes } = JSON.parse(activate.stdout) as { recovery_codes: string[] };
    expect(codes).toHaveLength(10);

    // The key died with the activation; logout still tidies this machine.
    const logout = await run(['logout']);
    expect(logout.status, logout.stderr).toBe(0);
    expect(await readFile(netrc, 'utf8')).toBe(OTHERS);

    // Login: the password, then the code it asks for (303 behind the scenes); a wrong one is
    // told plainly and asked again.
    const login = await run(
      ['login', '-e', email],
      [PASSWORD, () => wrongCode(secret), () => codeAt(secret, 1)],
    );
    expect(login.status, login.stderr).toBe(0);
    expect(login.stderr.match(/Code from your authenticator app/g)).toHaveLength(2);
    expect(login.stderr).toContain('That code is not right');
    const firstKey = await entry();

    const change = await run(['account:password:change'], [PASSWORD, NEW_PASSWORD]);
    expect(change.status, change.stderr).toBe(0);
    expect(change.stderr).toContain('Password successfully changed');

    const reset = await run(['account:api_key:reset'], [NEW_PASSWORD]);
    expect(reset.status, reset.stderr).toBe(0);
    expect(await entry()).not.toBe(firstKey);
    expect((await run(['account'])).status).toBe(0);

    // Email change: asked here, confirmed from the new address's mail as a user would.
    const next = newEmail('cli-next');
    const moved = await run(['account:email:set', '-e', next], [NEW_PASSWORD]);
    expect(moved.status, moved.stderr).toBe(0);
    const token = linkToken(await newestMail(next, /Confirm your new/), 'confirm-email-change');
    expect(
      (await fetch(`${stack.api}/api/users/email/confirm`, { method: 'POST', ...json({ token }) })).status,
    ).toBe(200);
    expect(JSON.parse((await run(['account'])).stdout)).toMatchObject({ email: next, mfa_enabled: true });

    // New recovery codes (the old ones die), MFA off, and on again from flags alone.
    const regenerated = await run(['account:mfa:recovery_codes:regenerate', '--mfa-token', String(codes[0])]);
    expect(regenerated.status, regenerated.stderr).toBe(0);
    const fresh = (JSON.parse(regenerated.stdout) as { recovery_codes: string[] }).recovery_codes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(codes[1]);
    const off = await run(['account:mfa:deactivate', '-p', NEW_PASSWORD, '--mfa-token', String(fresh[0])]);
    expect(off.status, off.stderr).toBe(0);
    expect(JSON.parse((await run(['account'])).stdout)).toMatchObject({ mfa_enabled: false });
    // The key died with this activation too: log in again, with a recovery code of the new set.
    const again = await run(
      ['account:mfa:activate', '-y'],
      [(said) => codeAt(secretOf(/otpauth:\/\/\S+/.exec(said)?.[0] ?? ''))],
    );
    expect(again.status, again.stderr).toBe(0);
    const last = (JSON.parse(again.stdout) as { recovery_codes: string[] }).recovery_codes;
    expect(
      (await run(['login', '-e', next, '-p', NEW_PASSWORD, '--mfa-token', String(last[0])])).status,
    ).toBe(0);

    // Destroy: asked to confirm, the password, then the code MFA wants; netrc left as found.
    const destroy = await run(['account:destroy'], ['y', NEW_PASSWORD, String(last[1])]);
    expect(destroy.status, destroy.stderr).toBe(0);
    expect(destroy.stderr).toContain(`This deletes the account ${next}`);
    expect(destroy.stderr).toContain('is being deleted');
    expect(await readFile(netrc, 'utf8')).toBe(OTHERS);
    const after = await run(['account']);
    expect(after.status).toBe(1);
    expect(after.stderr).toBe(
      `Not logged in to ${host}: run \`gatehouse login\` first (or set GATEHOUSE_API_KEY).\n`,
    );
  });

  it('runs from flags alone, shows the API’s messages plainly, and exits 2 on usage errors', async () => {
    const home = await newHome();
    const env = { GATEHOUSE_API_URL: stack.api };
    const email = newEmail('cli-flags');
    await cliSignup(email, home, env);

    const wrong = await gatehouse(['login', '-e', email, '-p', 'not the password at all'], { home, env });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toBe('Invalid credentials\n');
    const right = await gatehouse(['login', '-e', email, '-p', PASSWORD], { home, env });
    expect(right.status, right.stderr).toBe(0);
    // The saved key revoked elsewhere (another device's key reset): said so, with what to do.
    const saved = /password (\S+)/.exec(await readFile(join(home, '.netrc'), 'utf8'))?.[1] as string;
    const other = await fetch(`${stack.api}/api/login`, {
      headers: { authorization: basic(email, PASSWORD) },
    });
    const otherKey = ((await other.json()) as { data: { key: string } }).data.key;
    expect(
      (
        await fetch(`${stack.api}/api/api_keys/regenerate?current_password=${encodeURIComponent(PASSWORD)}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${otherKey}` },
        })
      ).status,
    ).toBe(201);
    expect(saved).toMatch(/^gh_key_/);
    const revoked = await gatehouse(['account'], { home, env });
    expect(revoked.status).toBe(1);
    expect(revoked.stderr).toContain('The saved API key no longer works');
    expect(revoked.stderr).toContain('gatehouse login');
    expect((await gatehouse(['login', '-e', email, '-p', PASSWORD], { home, env })).status).toBe(0);

    // A question with nothing to answer it: a usage error naming the flag.
    const unanswered = await gatehouse(['login'], { home, env });
    expect(unanswered.status).toBe(2);
    expect(unanswered.stderr).toContain('pass --email');
    expect((await gatehouse(['no:such:command'], { home, env })).status).toBe(2);
    expect((await gatehouse(['login', '--nope'], { home, env })).status).toBe(2);
    const help = await gatehouse(['account:destroy', '--help'], { home, env });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--yes');
    expect((await gatehouse(['--version'], { home, env })).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    // --api-url wins over the environment.
    const elsewhere = await gatehouse(
      ['login', '-e', email, '-p', PASSWORD, '--api-url', 'http://127.0.0.1:9'],
      { home, env },
    );
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stderr).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:9/);
    expect(elsewhere.stderr).not.toMatch(/\n\s+at /);

    // Cards: checked here first, then a token from Stripe (the local stand-in), never the number.
    const stripe = /Stripe +(http:\/\/127\.0\.0\.1:\d+)/.exec(stack.output())?.[1] as string;
    const withStripe = { ...env, GATEHOUSE_STRIPE_API_URL: stripe };
    const setCard = (number: string) =>
      gatehouse(
        [
          'account:payment_method:set',
          '--card-number',
          number,
          '--card-expiry',
          '12/40',
          '--card-cvc',
          '123',
        ],
        { home, env: withStripe },
      );
    const bad = await setCard('4242424242424241');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('not a valid card number');
    const declined = await setCard('4000000000000002');
    expect(declined.status).toBe(1);
    expect(declined.stderr).toContain('Your card was declined.');
    const set = await setCard('4242 4242 4242 4242');
    expect(set.status, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ brand: 'visa', last4: '4242' });
    const card = await gatehouse(['account:payment_method'], { home, env });
    expect(JSON.parse(card.stdout)).toMatchObject({ brand: 'visa', last4: '4242' });
    const upgrade = await gatehouse(['account:upgrade'], { home, env: withStripe });
    expect(upgrade.status, upgrade.stderr).toBe(0);
    expect(JSON.parse(upgrade.stdout)).toEqual({ tier: 'STANDARD' });
    // The invoices Stripe has for the account (none yet at the stand-in).
    const invoices = await gatehouse(['account:invoices'], { home, env });
    expect(invoices.status, invoices.stderr).toBe(0);
    expect(JSON.parse(invoices.stdout)).toEqual([]);
    // SSH keys: add from a .pub file, list, remove by id.
    const pub = join(home, 'id_ed25519.pub');
    await writeFile(pub, `${newSshKey('cli@laptop')}\n`);
    const added = await gatehouse(['account:ssh_keys:add', '--file', pub], { home, env });
    expect(added.status, added.stderr).toBe(0);
    const { id: sshId, fingerprint } = JSON.parse(added.stdout) as { id: string; fingerprint: string };
    expect(fingerprint).toMatch(/^SHA256:/);
    const listed = await gatehouse(['account:ssh_keys'], { home, env });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: sshId, comment: 'cli@laptop' }]);
    const badKey = await gatehouse(['account:ssh_keys:add', '--key', 'ssh-rsa AAAA'], { home, env });
    expect(badKey.status).toBe(1);
    expect(badKey.stderr).toContain('ssh key is not a valid public key');
    const removed = await gatehouse(['account:ssh_keys:remove', '--id', sshId], { home, env });
    expect(removed.status, removed.stderr).toBe(0);
    expect(JSON.parse((await gatehouse(['account:ssh_keys'], { home, env })).stdout)).toEqual([]);

    // The signup's key and the login's.
    const keys = await gatehouse(['account:api_keys'], { home, env });
    expect(JSON.parse(keys.stdout) as unknown[]).toHaveLength(2);

    // Mails asked for from the terminal: a reset link, and (for web signups) a confirmation link.
    const reset = await gatehouse(['account:password:reset', '-e', email], { home, env });
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stderr).toContain('If this address has an account');
    await newestMail(email, /Reset your Gatehouse password/);
    const resend = await gatehouse(['account:confirmation:resend', '-e', newEmail('web')], { home, env });
    expect(resend.status, resend.stderr).toBe(0);

    // Logout revokes the key at the server, then forgets it here.
    const key = /password (\S+)/.exec(await readFile(join(home, '.netrc'), 'utf8'))?.[1];
    expect((await gatehouse(['logout'], { home, env })).status).toBe(0);
    expect(
      (await fetch(`${stack.api}/api/users`, { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(401);
    expect(await readFile(join(home, '.netrc'), 'utf8')).toBe('');
    expect((await gatehouse(['login', '-e', email, '-p', PASSWORD], { home, env })).status).toBe(0);
    const gone = await gatehouse(['account:destroy', '-y', '-p', PASSWORD], { home, env });
    expect(gone.status, gone.stderr).toBe(0);
  });

  it('signs up and logs in with Google, the page visited while the CLI polls', async () => {
    const home = await newHome();
    const env = { GATEHOUSE_API_URL: stack.api };
    const email = newEmail('cli-google');
    const atGoogle = {
      when: /type the code (\S+) where it asks:\n\n {2}(\S+)\n/,
      act: async (said: string) => {
        const [, code, url] = /type the code (\S+) where it asks:\n\n {2}(\S+)\n/.exec(
          said,
        ) as RegExpExecArray;
        await throughGoogle({ url: url as string, code: code as string }, email);
      },
    };
    const signup = await gatehouse(['signup:google'], { home, env, meanwhile: atGoogle });
    expect(signup.status, signup.stderr).toBe(0);
    expect(signup.stderr).toContain(`Google says you are ${email}.`);
    expect(signup.stderr).toContain(`Logged in as ${email}`);
    expect(await readFile(join(home, '.netrc'), 'utf8')).toContain(`login ${email}`);

    const login = await gatehouse(['login:google'], { home, env, meanwhile: atGoogle });
    expect(login.status, login.stderr).toBe(0);
    const account = await gatehouse(['account'], { home, env });
    expect(JSON.parse(account.stdout)).toMatchObject({ email });
    expect((await gatehouse(['logout'], { home, env })).status).toBe(0);
    expect(await readFile(join(home, '.netrc'), 'utf8')).toBe('');
  });

  it('still reads an entry saved under host:port before, and moves it to the host name at login', async () => {
    const home = await newHome();
    const env = { GATEHOUSE_API_URL: stack.api };
    const email = newEmail('cli-legacy');
    expect(
      (await fetch(`${stack.api}/api/free_users`, { method: 'POST', ...json({ email, password: PASSWORD }) }))
        .status,
    ).toBe(200);
    const link = (await mailsTo(email, stack.mail)).at(-1);
    const token = linkToken(link as NonNullable<typeof link>, 'confirm-email');
    await fetch(`${stack.api}/confirm-email`, { method: 'POST', body: new URLSearchParams({ token }) });
    const login = await fetch(`${stack.api}/api/login`, {
      headers: { authorization: basic(email, PASSWORD) },
    });
    const { key } = ((await login.json()) as { data: { key: string } }).data;
    const { host, hostname } = new URL(stack.api);
    await writeFile(join(home, '.netrc'), `machine ${host}\n  login ${email}\n  password ${key}\n`, {
      mode: 0o600,
    });
    expect((await gatehouse(['account'], { home, env })).status).toBe(0);
    expect((await gatehouse(['login', '-e', email, '-p', PASSWORD], { home, env })).status).toBe(0);
    const netrc = await readFile(join(home, '.netrc'), 'utf8');
    expect(netrc).toMatch(new RegExp(`^machine ${hostname.replace(/\./g, '\\.')}\n`));
    expect(netrc).not.toContain(`machine ${host}`);
  });

  it('logs out everywhere else, revokes a key by id, and takes GATEHOUSE_API_KEY for CI', async () => {
    const env = { GATEHOUSE_API_URL: stack.api };
    const email = newEmail('cli-keys');
    const laptop = await newHome();
    await cliSignup(email, laptop, env);
    const ci = await newHome();
    expect((await gatehouse(['login', '-e', email, '-p', PASSWORD], { home: ci, env })).status).toBe(0);
    const ciKey = String(/password (\S+)/.exec(await readFile(join(ci, '.netrc'), 'utf8'))?.[1]);

    // CI: the key from the environment, no netrc at all; logout revokes it and touches no file.
    const bare = await newHome();
    const ciEnv = { ...env, GATEHOUSE_API_KEY: ciKey };
    const viaEnv = await gatehouse(['account'], { home: bare, env: ciEnv });
    expect(viaEnv.status, viaEnv.stderr).toBe(0);
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({ email });
    const ciOut = await gatehouse(['logout'], { home: bare, env: ciEnv });
    expect(ciOut.status, ciOut.stderr).toBe(0);
    expect(ciOut.stderr).toContain('The key in GATEHOUSE_API_KEY no longer works');
    expect((await gatehouse(['account'], { home: ci, env })).status).toBe(1);

    // Log out everywhere else: the phone's key goes, the laptop's stays.
    const phone = await newHome();
    expect((await gatehouse(['login', '-e', email, '-p', PASSWORD], { home: phone, env })).status).toBe(0);
    const both = await gatehouse(['account:api_keys:revoke', '--id', 'x', '--others'], { home: laptop, env });
    expect(both.status).toBe(2);
    const others = await gatehouse(['account:api_keys:revoke', '--others'], { home: laptop, env });
    expect(others.status, others.stderr).toBe(0);
    expect(others.stderr).toContain('Logged out everywhere else: 1 other key revoked.');
    expect((await gatehouse(['account'], { home: phone, env })).status).toBe(1);
    expect((await gatehouse(['account'], { home: laptop, env })).status).toBe(0);

    // One key by its id: this machine's own, from the listing.
    const [own] = JSON.parse((await gatehouse(['account:api_keys'], { home: laptop, env })).stdout) as {
      id: string;
    }[];
    const byId = await gatehouse(['account:api_keys:revoke', '--id', String(own?.id)], { home: laptop, env });
    expect(byId.status, byId.stderr).toBe(0);
    expect((await gatehouse(['account'], { home: laptop, env })).status).toBe(1);
    expect(existsSync(join(bare, '.netrc'))).toBe(false);
  });

  it('creates a read-only key for CI, which reads and is refused changes, and revokes it by its bare id', async () => {
    const env = { GATEHOUSE_API_URL: stack.api };
    const email = newEmail('cli-ci-key');
    const home = await newHome();
    await cliSignup(email, home, env);
    const netrcBefore = await readFile(join(home, '.netrc'), 'utf8');
    const badScope = await gatehouse(['account:api_keys:create', '--name', 'ci', '--scope', 'admin'], {
      home,
      env,
    });
    expect(badScope.status).toBe(2);
    expect(badScope.stderr).toContain('--scope is full or read.');
    const made = await gatehouse(
      ['account:api_keys:create', '--name', 'ci', '--scope', 'read', '--expires', '90', '-p', PASSWORD],
      { home, env },
    );
    expect(made.status, made.stderr).toBe(0);
    const ciKey = made.stdout.trim();
    expect(ciKey).toMatch(/^gh_key_[A-Za-z0-9_-]{86}$/);
    expect(made.stderr).toMatch(/^Created the read-only key "ci" \(id [0-9a-f-]{36}\), expiring 20\d\d-/);
    // Printed, never saved: the machine gets it as GATEHOUSE_API_KEY.
    expect(await readFile(join(home, '.netrc'), 'utf8')).toBe(netrcBefore);

    const bare = await newHome();
    const ciEnv = { ...env, GATEHOUSE_API_KEY: ciKey };
    const reads = await gatehouse(['account'], { home: bare, env: ciEnv });
    expect(reads.status, reads.stderr).toBe(0);
    const refused = await gatehouse(['account:api_keys:revoke', '--others'], { home: bare, env: ciEnv });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('This API key can only read (scope read)');

    const listed = JSON.parse((await gatehouse(['account:api_keys'], { home, env })).stdout) as {
      id: string;
      name: string | null;
      scope: string;
    }[];
    const ci = listed.find((k) => k.name === 'ci');
    expect(ci).toMatchObject({ scope: 'read' });
    const twice = await gatehouse(['account:api_keys:revoke', String(ci?.id), '--id', String(ci?.id)], {
      home,
      env,
    });
    expect(twice.status).toBe(2);
    const revoked = await gatehouse(['account:api_keys:revoke', String(ci?.id)], { home, env });
    expect(revoked.status, revoked.stderr).toBe(0);
    // The account's activity tells the story, newest first; the revoked CI key no longer reads it.
    const told = await gatehouse(['account:activity', '--all'], {
      home: bare,
      env: { ...env, GATEHOUSE_API_KEY: ciKey },
    });
    expect(told.status).toBe(1);
    const story = await gatehouse(['account:activity'], { home, env });
    expect(story.status, story.stderr).toBe(0);
    const { events, next_cursor } = JSON.parse(story.stdout) as {
      events: { event: string }[];
      next_cursor: null;
    };
    expect(events.slice(0, 2).map((e) => e.event)).toEqual(['api_key.revoked', 'api_key.created']);
    expect(next_cursor).toBeNull();
    const all = await gatehouse(['account:activity', '--all'], { home, env });
    expect(JSON.parse(all.stdout)).toEqual(JSON.parse(story.stdout));
    // Take the data along: one JSON document on stdout.
    const exported = await gatehouse(['account:export', '-p', PASSWORD], { home, env });
    expect(exported.status, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({
      format: 'gatehouse-account-export/1',
      account: { email },
      api_keys: [{ name: null, current: true }],
    });
    const gone = await gatehouse(['account'], { home: bare, env: ciEnv });
    expect(gone.status).toBe(1);
    expect(gone.stderr).toContain('The API key in GATEHOUSE_API_KEY no longer works.');
    // Other commands still take no bare word: it could be half of a password.
    const stray = await gatehouse(['account', 'oops'], { home, env });
    expect(stray.status).toBe(2);
    expect(stray.stderr).not.toContain('oops');
  });

  it('has help for every command', async () => {
    const home = await newHome();
    const overview = await gatehouse(['--help'], { home });
    const names = [...overview.stdout.matchAll(/^ {2}([a-z_:]+) {2,}/gm)].map((m) => m[1] as string);
    expect(names).toContain('account:mfa:recovery_codes:regenerate');
    expect(names.length).toBe(27);
    const helps = await Promise.all(names.map((name) => gatehouse([name, '--help'], { home })));
    helps.forEach((help, i) => {
      expect(help.status).toBe(0);
      expect(help.stdout.startsWith(`Usage: gatehouse ${names[i]}`)).toBe(true);
    });
    // `gatehouse help <command>` is the command's own help.
    const viaHelp = await gatehouse(['help', 'signup'], { home });
    expect(viaHelp.status).toBe(0);
    expect(viaHelp.stdout).toBe((await gatehouse(['signup', '--help'], { home })).stdout);
  });
});

describe('the gatehouse CLI, where the server names a git host', () => {
  const GIT_HOST = 'git.platform.test';
  let withGit: RunningStack;
  beforeAll(async () => {
    withGit = await npmStart([], {}, { GIT_HOST });
  });
  afterAll(() => withGit?.kill());

  it('keeps the same key for the git host on login, and removes both on logout', async () => {
    const home = await newHome();
    const netrc = join(home, '.netrc');
    const env = { GATEHOUSE_API_URL: withGit.api };
    const host = new URL(withGit.api).hostname;
    const email = newEmail('cli-git');
    const signup = await fetch(`${withGit.api}/api/free_users`, {
      method: 'POST',
      ...json({ email, password: PASSWORD }),
    });
    expect(signup.status).toBe(200);
    const [link] = await mailsTo(email, withGit.mail);
    const token = linkToken(link as NonNullable<typeof link>, 'confirm-email');
    await fetch(`${withGit.api}/confirm-email`, { method: 'POST', body: new URLSearchParams({ token }) });

    const login = await gatehouse(['login', '-e', email, '-p', PASSWORD], { home, env });
    expect(login.status, login.stderr).toBe(0);
    expect(login.stderr).toContain(`for ${host} and for git at ${GIT_HOST}`);
    // What git's credential lookup (and Python's netrc) finds for the git host: this account's key.
    const lookup = (machine: string) =>
      spawnSync(
        'python3',
        [
          '-c',
          `import netrc,sys; a = netrc.netrc(sys.argv[1]).authenticators(sys.argv[2]); print(a and f'{a[0]} {a[2]}')`,
          netrc,
          machine,
        ],
        {
          encoding: 'utf8',
        },
      ).stdout.trim();
    const apiEntry = lookup(host);
    expect(apiEntry).toMatch(new RegExp(`^${email} gh_key_[\\w-]+$`));
    expect(lookup(GIT_HOST)).toBe(apiEntry);
    // The key works where the platform checks it: the authorizer behind the example route.
    const key = apiEntry.split(' ')[1] as string;
    const whoami = await fetch(`${withGit.api}/example/whoami`, {
      headers: { authorization: basic(email, key) },
    });
    expect(whoami.status).toBe(200);

    const logout = await gatehouse(['logout'], { home, env });
    expect(logout.status, logout.stderr).toBe(0);
    expect(await readFile(netrc, 'utf8')).toBe('');
    expect(
      (await fetch(`${withGit.api}/example/whoami`, { headers: { authorization: basic(email, key) } }))
        .status,
    ).toBe(401);

    // A git host entry holding another key (set by hand) is not this CLI's to remove.
    expect((await gatehouse(['login', '-e', email, '-p', PASSWORD], { home, env })).status).toBe(0);
    const own = `machine ${GIT_HOST}\n  login someone\n  password their-own\n`;
    const text = await readFile(netrc, 'utf8');
    await writeFile(netrc, text.replace(/machine git\.platform\.test\n( {2}.*\n){2}/, own));
    expect((await gatehouse(['logout'], { home, env })).status).toBe(0);
    expect(await readFile(netrc, 'utf8')).toBe(own);
  });
});
