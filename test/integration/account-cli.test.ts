// The operator command `npm run account` (issue 21, part 5), run as an operator runs it against
// this file's table: what a suspension refuses and what it leaves, and the other changes, each
// audited and told to the platform with the documented event.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_SUSPENDED, LINK_OF_SUSPENDED } from '#domain/messages.ts';
import { authorize } from '../../functions/platform/authorizer.ts';
import { lookup } from '../../functions/platform/lookup.ts';
import { userIdOf } from '../support/deletion.ts';
import { confirmChange, requestChange, revokeChangeLink } from '../support/email-change.ts';
import { useLifecycleEvents } from '../support/events.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { anotherKey, bearer, keyStatus, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { resetToken } from '../support/reset.ts';
import { newSshKey } from '../support/ssh.ts';
import { suspended } from '../support/suspension.ts';
import { itemsAbout } from '../support/table.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const options = {
  cwd: ROOT,
  env: { ...process.env, GATEHOUSE_OPERATOR: 'ops-ann' },
  encoding: 'utf8',
} as const;
const account = (...args: string[]) =>
  spawnSync('npm', ['run', '--silent', 'account', '--', ...args], options);
/** The same, without waiting in line: for the runs that only check an answer. */
const accountAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stderr: string }>((done) => {
    const child = spawn('npm', ['run', '--silent', 'account', '--', ...args], options);
    let stderr = '';
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('close', (status) => done({ status, stderr }));
  });
// Each run starts Node and tsx afresh (two seconds on a busy machine): these tests take a while.
const SLOW = { timeout: 120_000 };
const events = useLifecycleEvents();
const SUSPENDED_BODY = { errors: { '': [ACCOUNT_SUSPENDED] } };
const subjects = async (email: string) => (await mailsTo(email)).map((m) => m.subject);
const authorizerRequest = (key: string) => ({
  version: '2.0',
  type: 'REQUEST',
  routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/GET/apps',
  routeKey: 'GET /apps',
  headers: { authorization: `Bearer ${key}` },
});
const operatorEvents = async (email: string) =>
  (await itemsAbout(email))
    .filter((i) => (i.detail as { via?: string } | undefined)?.via === 'operator')
    .map((i) => ({ event: i.event, detail: i.detail }));

describe('npm run account -- suspend / unsuspend', () => {
  it(
    'refuses every key and a right password with 403, mails only the notice, and lifting it gives all back',
    SLOW,
    async () => {
      const email = newEmail('suspend');
      const key = await activeAccount(email);
      const added = await call('POST', '/api/ssh_keys', withKey(key, { ssh_key: newSshKey() }));
      const { fingerprint } = ((await added.json()) as { data: { fingerprint: string } }).data;
      const accountId = await userIdOf(email);

      const run = account('suspend', email.toUpperCase(), '--reason', 'chargebacks on three cards');
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Suspended ${email}`);
      expect(run.stdout).toContain('The owner was mailed a notice.');
      const mailed = await subjects(email);
      expect(mailed.at(-1)).toBe('Your Gatehouse account is suspended');

      const refused = await call('GET', '/api/users', bearer(key));
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual(SUSPENDED_BODY);
      expect((await authorize(authorizerRequest(key))).isAuthorized).toBe(false);
      expect(await lookup({ apiKey: key })).toEqual({ account: null });
      expect(await lookup({ sshKeyFingerprint: fingerprint })).toEqual({ account: null });
      const rightPassword = await login(email);
      expect(rightPassword.status).toBe(403);
      expect(await rightPassword.json()).toEqual(SUSPENDED_BODY);
      expect((await login(email, 'not the password')).status).toBe(401);
      // Nothing else reaches the address: a reset link, a signup's "you have an account".
      expect((await call('PUT', '/api/users/reset_password', json({ email }))).status).toBe(200);
      expect((await call('POST', '/api/free_users', json({ email, password: PASSWORD }))).status).toBe(200);
      expect((await call('POST', '/api/signup', json({ email }))).status).toBe(200);
      expect(await subjects(email)).toEqual(mailed);

      const shown = account('show', accountId);
      expect(shown.status, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`SUSPENDED since`);
      expect(shown.stdout).toContain('chargebacks on three cards');
      const again = account('suspend', email, '--reason', 'twice');
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('suspended already');

      const lifted = account('unsuspend', email);
      expect(lifted.status, lifted.stderr).toBe(0);
      expect(lifted.stdout).toContain(`Lifted the suspension of ${email}`);
      expect((await subjects(email)).at(-1)).toBe('Your Gatehouse account is no longer suspended');
      expect(await keyStatus(key)).toBe(200);
      expect(await lookup({ sshKeyFingerprint: fingerprint })).toMatchObject({ account: { accountId } });
      expect((await login(email)).status).toBe(200);
      expect(account('unsuspend', email).stderr).toContain('is not suspended');
      // The owner sees both in their activity, and that an operator did it, not which one.
      const activity = await call('GET', '/api/users/events', bearer(key));
      const { events: rows } = ((await activity.json()) as { data: { events: object[] } }).data;
      expect(rows.filter((r) => /suspended/.test((r as { event: string }).event))).toMatchObject([
        { event: 'account.unsuspended', details: { via: 'operator' } },
        { event: 'account.suspended', details: { via: 'operator' } },
      ]);
      expect(JSON.stringify(rows)).not.toContain('ops-ann');

      expect(await operatorEvents(email)).toEqual([
        { event: 'account.suspended', detail: { via: 'operator', operator: 'ops-ann' } },
        { event: 'account.unsuspended', detail: { via: 'operator', operator: 'ops-ann' } },
      ]);
      const published = await events.settled(accountId, 3);
      expect(published.map((e) => [e['detail-type'], e.detail.reason])).toEqual([
        ['account.created', undefined],
        ['account.suspended', 'chargebacks on three cards'],
        ['account.unsuspended', undefined],
      ]);
    },
  );
});

describe('a suspension and the links mailed before it', () => {
  it(
    'refuses a reset link and both links of an address change, saying the account is suspended; nothing changes',
    SLOW,
    async () => {
      const email = newEmail('suspend-links');
      const next = newEmail('suspend-links-next');
      const key = await activeAccount(email);
      const reset = await resetToken(email);
      const change = await requestChange(key, email, next);
      await suspended(email);
      // The publisher numbers the account's events on their items: done before the snapshot.
      await events.settled(await userIdOf(email), 2);
      const before = await itemsAbout(email);
      const refusals = [
        await call(
          'POST',
          '/api/users/reset_password',
          json({ token: reset, password: 'a brand new passphrase' }),
        ),
        await confirmChange(change.confirm),
        await revokeChangeLink(change.revoke),
      ];
      for (const res of refusals) {
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ errors: { token: [LINK_OF_SUSPENDED] } });
      }
      expect(await itemsAbout(email)).toEqual(before);
    },
  );
});

describe('npm run account -- set-tier / credit / revoke-keys / show', () => {
  it(
    'changes the tier either way, adds and takes back credit, revokes every key; each an event',
    SLOW,
    async () => {
      const email = newEmail('operator');
      const key = await activeAccount(email);
      const second = await anotherKey(email);
      const accountId = await userIdOf(email);
      const status = async () =>
        (
          (await (await call('GET', '/api/users', bearer(key))).json()) as {
            data: { tier: string; credit_cents: number };
          }
        ).data;

      expect(account('set-tier', email, 'standard').stdout).toContain(
        `${email} is on STANDARD now (was FREE)`,
      );
      expect((await status()).tier).toBe('STANDARD');
      const same = account('set-tier', email, 'STANDARD');
      expect(same.status).toBe(1);
      expect(same.stderr).toContain('on STANDARD already');

      expect(account('credit', email, '500').stdout).toContain('has 500 cents of credit now (was 0)');
      const tooMuch = account('credit', email, '-600');
      expect(tooMuch.status).toBe(1);
      expect(tooMuch.stderr).toContain('cannot go below zero');
      expect(account('credit', email, '-200').stdout).toContain('has 300 cents of credit now (was 500)');
      expect((await status()).credit_cents).toBe(300);
      expect(account('set-tier', email, 'FREE').status).toBe(0);

      const shown = account('show', email);
      expect(shown.status, shown.stderr).toBe(0);
      for (const line of [
        'tier       FREE',
        'credit     $3.00 (300 cents)',
        'MFA        off',
        'API keys   2',
        'SSH keys   0',
      ])
        expect(shown.stdout).toContain(line);
      expect(shown.stdout).toMatch(/last logins\n {4}\S+Z {2}password/);

      const revoked = account('revoke-keys', email);
      expect(revoked.stdout).toContain(`Revoked 2 API key(s) of ${email}`);
      expect(await keyStatus(key)).toBe(401);
      expect(await keyStatus(second)).toBe(401);
      expect(account('revoke-keys', email).stdout).toContain('has no API keys');

      expect(await operatorEvents(email)).toEqual([
        {
          event: 'account.tier_set',
          detail: { via: 'operator', operator: 'ops-ann', tier: 'STANDARD', previousTier: 'FREE' },
        },
        {
          event: 'account.credited',
          detail: { via: 'operator', operator: 'ops-ann', cents: 500, creditCents: 500 },
        },
        {
          event: 'account.credited',
          detail: { via: 'operator', operator: 'ops-ann', cents: -200, creditCents: 300 },
        },
        {
          event: 'account.tier_set',
          detail: { via: 'operator', operator: 'ops-ann', tier: 'FREE', previousTier: 'STANDARD' },
        },
        { event: 'api_key.revoked', detail: { via: 'operator', operator: 'ops-ann', count: 2 } },
      ]);
      const published = await events.settled(accountId, 6);
      expect(published.map((e) => e['detail-type'])).toEqual([
        'account.created',
        'account.tier_changed',
        'account.credit_changed',
        'account.credit_changed',
        'account.tier_changed',
        'account.keys_revoked',
      ]);
      expect(
        published.slice(1).map(({ detail: { eventId, accountId, sequence, time, ...fields } }) => fields),
      ).toEqual([
        { tier: 'STANDARD', previousTier: 'FREE' },
        { creditCents: 500, previousCreditCents: 0 },
        { creditCents: 300, previousCreditCents: 500 },
        { tier: 'FREE', previousTier: 'STANDARD' },
        { count: 2 },
      ]);
    },
  );

  it('explains its usage, and changes nothing it was not asked to', SLOW, async () => {
    const email = newEmail('operator-usage');
    await activeAccount(email);
    // The publisher numbers the account's first event on its item: done before the snapshot.
    await events.settled(await userIdOf(email), 1);
    const before = await itemsAbout(email);
    const runs: Promise<{ args: string[]; run: { status: number | null; stderr: string } }>[] = [];
    for (const args of [
      [],
      ['frobnicate', email],
      ['suspend', email],
      ['suspend', email, '--reason', ' '],
      ['suspend', email, '--reason', 'x'.repeat(501)],
      ['show', email, '--reason', 'why'],
      ['set-tier', email, 'GOLD'],
      ['set-tier', email],
      ['credit', email, '0'],
      ['credit', email, '1.5'],
      ['credit', email, 'ten'],
      ['show', email, 'extra'],
    ]) {
      runs.push(accountAsync(...args).then((run) => ({ args, run })));
    }
    for (const { args, run } of await Promise.all(runs)) {
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('Usage: npm run account -- COMMAND');
    }
    const nobody = account('show', newEmail('nobody'));
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toContain('No account for');
    expect(await itemsAbout(email)).toEqual(before);
  });
});
