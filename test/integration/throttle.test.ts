import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { attemptCount, countAttempt, mark, markOf } from '#data/counters.ts';
import { ATTEMPT_SCOPES, keys } from '#data/keys.ts';
import { TOO_MANY_LOGINS, TOO_MANY_REAUTHS } from '#domain/messages.ts';
import {
  ADDRESS_FREE_FAILURES,
  ADDRESS_WAIT_SECONDS,
  IP_LIMITS_PER_MINUTE,
  LOGIN_FREE_FAILURES,
  LOGIN_QUIET_SECONDS,
  loginSource,
  TRUSTED_SOURCE_SECONDS,
} from '#domain/throttle.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { loginThrottle } from '#services/login-throttle.ts';
import { activeAccount, call, confirm, signUp } from '../support/flows.ts';
import { basic, json, newEmail, PASSWORD } from '../support/http.ts';
import { uniqueIp } from '../support/ips.ts';
import { anotherKey, bearer, keyStatus, storedKey, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { codeAt, mfaAccount, mfaKey, wrongCode } from '../support/mfa.ts';
import { meanwhile } from '../support/race.ts';
import { resetToken } from '../support/reset.ts';
import { direct, itemsAbout } from '../support/table.ts';

const loginAs = (email: string, password: string, ip?: string) =>
  call('GET', '/api/login', { headers: { authorization: basic(email, password) } }, ip);
const failures = (email: string) => loginThrottle.failures(email);
const profileOf = async (email: string) => (await itemsAbout(email)).find((item) => item.type === 'user');
const view = async (key: string) =>
  ((await (await call('GET', '/api/users', bearer(key))).json()) as { data: Record<string, unknown> }).data;

/**
 * Two more failures, as two more guesses inside the wait would count them: the wait grows to 8 s,
 * so the request that follows is refused however slow the machine is (after 5 failures the wait
 * is 2 s only, and it runs from the fifth guess).
 */
async function twoMoreGuesses(key: string): Promise<void> {
  const record = await storedKey(key);
  if (!record) throw new Error('no such key');
  for (let i = 0; i < 2; i++)
    await countAttempt(
      keys.reauthAttempts(String(record.userId), String(record.keyId)),
      nowSeconds(),
      LOGIN_QUIET_SECONDS,
    );
}

/** Refused by the key's re-authentication throttle: the eighth failure waits 16 s. */
async function expectKeyThrottled(res: Response, retryAfter = '16') {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(retryAfter);
  expect(await res.json()).toEqual({ errors: { '': [TOO_MANY_REAUTHS] } });
}
const addressCounter = async (email: string) =>
  (
    await direct.send(
      new GetCommand({
        TableName: process.env.TABLE_NAME,
        Key: keys.attempts(ATTEMPT_SCOPES.login, email),
        ConsistentRead: true,
      }),
    )
  ).Item;
/** The address's wait is over, as 15 minutes would end it. */
const endAddressWait = (email: string) =>
  direct.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: keys.attempts(ATTEMPT_SCOPES.login, email),
      UpdateExpression: 'SET openAt = :past',
      ExpressionAttributeValues: { ':past': nowSeconds() - 1 },
    }),
  );
const freshIp = uniqueIp;

/**
 * `n` more guesses from `ip` inside its wait, counted as such guesses are: the wait grows (2 more
 * after 5 failures make it 8 s; 8 more make it minutes), however slow the machine.
 */
async function guessesInsideTheWait(email: string, ip: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await countAttempt(keys.loginSource(email, String(loginSource(ip))), nowSeconds(), LOGIN_QUIET_SECONDS);
}

/**
 * `n` wrong passwords for the address, each from a source of its own, ten at a time: all checked
 * (each waits out the 300 ms floor, so ten at once take a tenth of the time one by one).
 */
async function failuresFromNewSources(email: string, n: number): Promise<void> {
  for (let sent = 0; sent < n; sent += 10) {
    const size = Math.min(10, n - sent);
    const statuses = await Promise.all(
      Array.from({ length: size }, async () => (await loginAs(email, 'wrong password!!', freshIp())).status),
    );
    expect(statuses).toEqual(Array(size).fill(401));
  }
}

/** 50 wrong passwords for the address, from 50 sources, ten at a time: all checked. */
async function fiftyFailures(email: string): Promise<void> {
  await failuresFromNewSources(email, ADDRESS_FREE_FAILURES);
  expect(await failures(email)).toBe(ADDRESS_FREE_FAILURES);
}

describe('login failures per address', () => {
  it('counts 50 parallel wrong logins from one source exactly, and checks at most 5 of them', async () => {
    const email = newEmail('stuffed');
    await activeAccount(email);
    const ip = freshIp();
    const statuses = (
      await Promise.all(Array.from({ length: 50 }, () => loginAs(email, 'wrong password!!', ip)))
    ).map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // Each attempt is counted at its source before its password is checked, so a burst cannot
    // share a stale count; the address counts the passwords checked.
    expect(await attemptCount(keys.loginSource(email, String(loginSource(ip))))).toBe(50);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LOGIN_FREE_FAILURES);
    expect(await failures(email)).toBe(statuses.filter((s) => s === 401).length);
  });

  it('lets 5 failures go free, then refuses even the right password with 429 and Retry-After', async () => {
    const email = newEmail();
    await activeAccount(email);
    for (let i = 0; i < 5; i++) expect((await loginAs(email, 'wrong password!!')).status).toBe(401);
    const refused = await loginAs(email, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('4');
    expect(await refused.json()).toEqual({
      errors: {
        '': ['Too many failed logins for this address. Wait before trying again, or reset your password.'],
      },
    });
  });

  it('lets the right password in once the wait is over, and forgives the source its failures', async () => {
    const email = newEmail();
    await activeAccount(email);
    for (let i = 0; i < 5; i++) await loginAs(email, 'wrong password!!');
    const refused = await loginAs(email, PASSWORD);
    expect(refused.status).toBe(429);
    await sleep(Number(refused.headers.get('retry-after')) * 1000 + 100);
    expect((await loginAs(email, PASSWORD)).status).toBe(200);
    // The address keeps its 5 wrong passwords (not the refused attempt), for strangers' sources to meet.
    expect(await failures(email)).toBe(5);
    for (let i = 0; i < 5; i++) expect((await loginAs(email, 'wrong password!!')).status).toBe(401);
  });

  it('keeps a failure counted at the source while the owner’s success there was being recorded', async () => {
    const email = newEmail('raced-success');
    await activeAccount(email);
    const ip = freshIp();
    const sourceKey = keys.loginSource(email, String(loginSource(ip)));
    // A stranger's wrong password from the same source, counted while the success is written.
    const ran = meanwhile(
      'PutItemCommand',
      () => countAttempt(sourceKey, nowSeconds(), LOGIN_QUIET_SECONDS),
      (input) => JSON.stringify(input).includes('TRUSTED#'),
    );
    expect((await loginAs(email, PASSWORD, ip)).status).toBe(200);
    expect(ran()).toBe(true);
    // That failure stays: four more go free, the fifth waits.
    for (let i = 0; i < 4; i++) expect((await loginAs(email, 'wrong password!!', ip)).status).toBe(401);
    expect((await loginAs(email, 'wrong password!!', ip)).status).toBe(429);
  });

  it('counts a run of attempts that began after the last success whole (the success forgave an older run)', async () => {
    const email = newEmail('new-run');
    await activeAccount(email);
    const ip = freshIp();
    const source = String(loginSource(ip));
    for (let i = 0; i < 3; i++) expect((await loginAs(email, 'wrong password!!', ip)).status).toBe(401);
    expect((await loginAs(email, PASSWORD, ip)).status).toBe(200);
    // The counter went quiet and TTL removed it; the marker's baseline (4) belongs to that old run.
    await direct.send(
      new DeleteCommand({ TableName: process.env.TABLE_NAME, Key: keys.loginSource(email, source) }),
    );
    await direct.send(
      new UpdateCommand({
        TableName: process.env.TABLE_NAME,
        Key: keys.trustedSource(email, source),
        UpdateExpression: 'SET baseSince = baseSince - :day',
        ExpressionAttributeValues: { ':day': 86_400 },
      }),
    );
    for (let i = 0; i < 5; i++) expect((await loginAs(email, 'wrong password!!', ip)).status).toBe(401);
    expect((await loginAs(email, 'wrong password!!', ip)).status).toBe(429);
  });

  it('treats an unknown address exactly like a known one', async () => {
    const known = newEmail('known');
    await activeAccount(known);
    const unknown = newEmail('unknown');
    const walk = async (email: string) => {
      const answers: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await loginAs(email, 'wrong password!!');
        answers.push(`${res.status} ${res.headers.get('retry-after')} ${await res.text()}`);
      }
      return answers;
    };
    expect(await walk(unknown)).toEqual(await walk(known));
  });
});

describe('re-authentication failures per key', () => {
  it('refuses a deletion after 5 wrong passwords with that key, even with the right one, and deletes nothing', async () => {
    const email = newEmail('destroy');
    const key = await activeAccount(email);
    const destroy = (current_password: string) =>
      call('DELETE', '/api/users/destroy', withKey(key, { email, current_password }));
    for (let i = 0; i < 5; i++) expect((await destroy(`wrong guess ${i}!!!!`)).status).toBe(401);
    await twoMoreGuesses(key);
    await expectKeyThrottled(await destroy(PASSWORD));
    expect(await keyStatus(key)).toBe(200);
    expect(await profileOf(email)).toMatchObject({ status: 'ACTIVE' });
    expect((await profileOf(email))?.deletionExecution).toBeUndefined();
  });

  it('refuses a password change after 5 wrong current passwords, and changes nothing', async () => {
    const email = newEmail('change');
    const key = await activeAccount(email);
    const other = await anotherKey(email);
    const hash = (await profileOf(email))?.passwordHash;
    const change = (current_password: string) =>
      call(
        'PATCH',
        '/api/users/change_password',
        withKey(key, { current_password, new_password: 'a brand new passphrase here' }),
      );
    for (let i = 0; i < 5; i++) expect((await change(`wrong guess ${i}!!!!`)).status).toBe(401);
    const mails = (await mailsTo(email)).length;
    await twoMoreGuesses(key);
    await expectKeyThrottled(await change(PASSWORD));
    expect((await profileOf(email))?.passwordHash).toBe(hash);
    expect(await keyStatus(other)).toBe(200);
    expect(await mailsTo(email)).toHaveLength(mails);
  });

  it('refuses to turn MFA off after 5 wrong passwords, even with the right password and code', async () => {
    const account = await mfaAccount(newEmail('mfa-off'));
    const key = await mfaKey(account, 0);
    const deactivate = (current_password: string) =>
      call('DELETE', '/api/mfa', withKey(key, { current_password, mfa_token: codeAt(account.secret, 1) }));
    for (let i = 0; i < 5; i++) expect((await deactivate(`wrong guess ${i}!!!!`)).status).toBe(401);
    const mails = (await mailsTo(account.email)).length;
    await twoMoreGuesses(key);
    await expectKeyThrottled(await deactivate(PASSWORD));
    expect(await profileOf(account.email)).toMatchObject({ mfaEnabled: true });
    expect(await view(key)).toMatchObject({ mfa_enabled: true, mfa_recovery_codes_left: 9 });
    expect(await mailsTo(account.email)).toHaveLength(mails);
  });

  it('refuses new recovery codes after 5 wrong codes, even for an unused one, which stays unspent', async () => {
    const account = await mfaAccount(newEmail('mfa-codes'));
    const key = await mfaKey(account, 0);
    const regenerate = (mfa_token: string) =>
      call('POST', '/api/mfa/recovery_codes', withKey(key, { mfa_token }));
    for (let i = 0; i < 5; i++) expect((await regenerate(wrongCode(account.secret))).status).toBe(401);
    const mails = (await mailsTo(account.email)).length;
    await twoMoreGuesses(key);
    await expectKeyThrottled(await regenerate(account.recoveryCodes[1] as string));
    // Neither spent (8 left) nor replaced (10).
    expect(await view(key)).toMatchObject({ mfa_enabled: true, mfa_recovery_codes_left: 9 });
    expect(await mailsTo(account.email)).toHaveLength(mails);
  });

  it('refuses a change of address after 5 wrong current passwords, and mails nobody', async () => {
    const email = newEmail('move');
    const next = newEmail('moved');
    const key = await activeAccount(email);
    const ip = freshIp();
    const move = (current_password: string) =>
      call('POST', '/api/users/email', withKey(key, { next_email: next, current_password }), ip);
    for (let i = 0; i < 5; i++) expect((await move(`wrong guess ${i}!!!!`)).status).toBe(401);
    await twoMoreGuesses(key);
    await expectKeyThrottled(await move(PASSWORD));
    expect(await view(key)).toMatchObject({ email, pending_email: null });
    expect(await mailsTo(next)).toEqual([]);
  });
});

describe('a stranger who knows an address cannot keep its owner out', () => {
  it('leaves the owner’s login from another source alone after a stranger’s wrong passwords', async () => {
    const email = newEmail('targeted');
    await activeAccount(email);
    const stranger = freshIp();
    for (let i = 0; i < 5; i++) expect((await loginAs(email, 'wrong password!!', stranger)).status).toBe(401);
    await guessesInsideTheWait(email, stranger, 2);
    // The stranger's own source waits, even with the right password...
    expect((await loginAs(email, PASSWORD, stranger)).status).toBe(429);
    // ...and the owner, on a source never seen before, does not.
    expect((await loginAs(email, PASSWORD, freshIp())).status).toBe(200);
    expect((await loginAs(email, PASSWORD)).status).toBe(200);
  });

  it('never lets wrong current passwords sent with a key hold up the owner’s login, or their other keys', async () => {
    const email = newEmail('stolen-key');
    const stolen = await activeAccount(email);
    const own = await anotherKey(email);
    const change = (key: string, current_password: string) =>
      call(
        'PATCH',
        '/api/users/change_password',
        withKey(key, { current_password, new_password: 'a brand new passphrase here' }),
      );
    for (let i = 0; i < 5; i++) expect((await change(stolen, `wrong guess ${i}!!!!`)).status).toBe(401);
    await twoMoreGuesses(stolen);
    await expectKeyThrottled(await change(stolen, PASSWORD));
    // The same source, even: the owner logs in, and their own key re-authenticates.
    expect((await loginAs(email, PASSWORD)).status).toBe(200);
    expect((await change(own, PASSWORD)).status).toBe(200);
  });

  it('makes new sources wait after 50 failures from anywhere, but not a source the owner logged in from; a reset trusts its source', async () => {
    const email = newEmail('distributed');
    await activeAccount(email);
    const home = freshIp();
    expect((await loginAs(email, PASSWORD, home)).status).toBe(200);
    await fiftyFailures(email);
    // A source the address has never logged in from now waits, even with the right password.
    const refused = await loginAs(email, PASSWORD, freshIp());
    expect(refused.status).toBe(429);
    // Until 15 minutes after the last password checked, a few seconds ago.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(ADDRESS_WAIT_SECONDS - 60);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(ADDRESS_WAIT_SECONDS);
    expect(await refused.json()).toEqual({ errors: { '': [TOO_MANY_LOGINS] } });
    // The owner's own source keeps its own budget: in at once, and again after a typo.
    expect((await loginAs(email, PASSWORD, home)).status).toBe(200);
    expect((await loginAs(email, 'a typo in it!!', home)).status).toBe(401);
    expect((await loginAs(email, PASSWORD, home)).status).toBe(200);
    // Away from home, a password reset proves the mailbox and trusts the source that made it.
    const travel = freshIp();
    expect((await loginAs(email, PASSWORD, travel)).status).toBe(429);
    const token = await resetToken(email);
    const NEW = 'a new passphrase from the road';
    expect(
      (await call('POST', '/api/users/reset_password', json({ token, password: NEW }), travel)).status,
    ).toBe(200);
    expect((await loginAs(email, NEW, travel)).status).toBe(200);
    expect((await loginAs(email, NEW, freshIp())).status).toBe(429);
  });

  it('trusts a source for the account that logged in from it, never for a later holder of the address', async () => {
    const email = newEmail('new-holder');
    await activeAccount(email);
    const home = freshIp();
    // An earlier account of this address logged in from here (its marker names that account).
    await mark(
      keys.trustedSource(email, String(loginSource(home))),
      'an-earlier-account',
      nowSeconds(),
      TRUSTED_SOURCE_SECONDS,
    );
    await fiftyFailures(email);
    expect((await loginAs(email, PASSWORD, home)).status).toBe(429);
    // A reset from there makes it this account's own.
    const token = await resetToken(email);
    const NEW = 'a new passphrase at home';
    expect(
      (await call('POST', '/api/users/reset_password', json({ token, password: NEW }), home)).status,
    ).toBe(200);
    expect((await loginAs(email, NEW, home)).status).toBe(200);
  });

  it('gives the address its check back when an attempt is taken back: an MFA owner past 50 asks for a code, then logs in', async () => {
    const account = await mfaAccount(newEmail('mfa-past-fifty'));
    await fiftyFailures(account.email);
    await endAddressWait(account.email);
    const cafe = freshIp();
    // The right password without a code: 303, and not a check spent...
    expect((await loginAs(account.email, PASSWORD, cafe)).status).toBe(303);
    // ...so the code that follows is checked at once.
    const withCode = await call(
      'GET',
      `/api/login?mfa_token=${codeAt(account.secret, 1)}`,
      { headers: { authorization: basic(account.email, PASSWORD) } },
      cafe,
    );
    expect(withCode.status).toBe(200);
  });

  it('gives the check back when an attempt’s own source refuses it: a throttled stranger spends no check', async () => {
    const email = newEmail('throttled-stranger');
    await activeAccount(email);
    const stranger = freshIp();
    for (let i = 0; i < LOGIN_FREE_FAILURES; i++)
      expect((await loginAs(email, 'wrong password!!', stranger)).status).toBe(401);
    await failuresFromNewSources(email, ADDRESS_FREE_FAILURES - LOGIN_FREE_FAILURES);
    // Eight more guesses inside its wait, as a persistent stranger's: it waits minutes now.
    await guessesInsideTheWait(email, stranger, 8);
    await endAddressWait(email);
    // The stranger's own source waits: refused, and the address's check stays open.
    expect((await loginAs(email, 'wrong password!!', stranger)).status).toBe(429);
    expect((await loginAs(email, PASSWORD, freshIp())).status).toBe(200);
  });

  it('trusts no source for an account nobody has confirmed: a squatter’s network is not the owner’s', async () => {
    const email = newEmail('squatted');
    const token = await signUp(email, 'the squatter chose this');
    const squatters = freshIp();
    expect((await loginAs(email, 'the squatter chose this', squatters)).status).toBe(401);
    expect(
      await markOf(keys.trustedSource(email, String(loginSource(squatters))), nowSeconds()),
    ).toBeUndefined();
    // Confirmed, the account's own login from there is trusted as usual.
    expect((await confirm(token)).status).toBe(200);
    expect((await loginAs(email, 'the squatter chose this', squatters)).status).toBe(200);
    expect(
      await markOf(keys.trustedSource(email, String(loginSource(squatters))), nowSeconds()),
    ).toBeDefined();
  });

  it('forgets the sources someone else logged in from once the owner resets the password', async () => {
    const email = newEmail('taken-back');
    await activeAccount(email);
    const intruder = freshIp();
    expect((await loginAs(email, PASSWORD, intruder)).status).toBe(200);
    const trusted = () => markOf(keys.trustedSource(email, String(loginSource(intruder))), nowSeconds());
    expect(await trusted()).toBeDefined();
    const home = freshIp();
    const token = await resetToken(email);
    const NEW = 'the owner takes it back now';
    expect(
      (await call('POST', '/api/users/reset_password', json({ token, password: NEW }), home)).status,
    ).toBe(200);
    expect(await trusted()).toBeUndefined();
    expect(await markOf(keys.trustedSource(email, String(loginSource(home))), nowSeconds())).toBeDefined();
  });

  it('counts only the passwords it checked for the address: refused attempts neither add up nor prolong the wait', async () => {
    const email = newEmail('refused');
    await activeAccount(email);
    // One stranger's source: 5 wrong passwords, then a wait, and 20 more attempts inside it.
    const stranger = freshIp();
    for (let i = 0; i < LOGIN_FREE_FAILURES; i++)
      expect((await loginAs(email, 'wrong password!!', stranger)).status).toBe(401);
    await guessesInsideTheWait(email, stranger, 2);
    for (let i = 0; i < 20; i++)
      expect((await loginAs(email, 'wrong password!!', stranger)).status).toBe(429);
    // One source's refusals do not bring the address nearer its 50.
    expect(await failures(email)).toBe(LOGIN_FREE_FAILURES);
    await failuresFromNewSources(email, ADDRESS_FREE_FAILURES - LOGIN_FREE_FAILURES);
    expect(await failures(email)).toBe(ADDRESS_FREE_FAILURES);
    const waitEnds = Number((await addressCounter(email))?.openAt);
    // Past 50, refused attempts from new sources are not counted, and do not move the wait.
    for (let i = 0; i < 5; i++)
      expect((await loginAs(email, 'wrong password!!', freshIp())).status).toBe(429);
    expect(await failures(email)).toBe(ADDRESS_FREE_FAILURES);
    expect(Number((await addressCounter(email))?.openAt)).toBe(waitEnds);
    // When the wait is over, the owner on a new source is checked at once.
    await endAddressWait(email);
    expect((await loginAs(email, PASSWORD, freshIp())).status).toBe(200);
  });

  it('checks exactly 50 passwords in a burst from 200 sources, and no more than 5 from one', async () => {
    const email = newEmail('botnet');
    await activeAccount(email);
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async () => (await loginAs(email, 'wrong password!!', freshIp())).status),
    );
    // Only the checked ones count for the address: the rest were refused without a write.
    expect(await failures(email)).toBe(statuses.filter((s) => s === 401).length);
    expect(statuses.filter((s) => s === 401).length).toBe(ADDRESS_FREE_FAILURES);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  });

  it('counts the addresses of one IPv6 /64 as one source', async () => {
    const email = newEmail('ipv6');
    await activeAccount(email);
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    for (let i = 1; i <= 5; i++) {
      expect((await loginAs(email, 'wrong password!!', `${prefix}::${i.toString(16)}`)).status).toBe(401);
    }
    const counted = await attemptCount(keys.loginSource(email, String(loginSource(`${prefix}::1`))));
    expect(counted).toBe(5);
    await countAttempt(
      keys.loginSource(email, String(loginSource(`${prefix}::1`))),
      nowSeconds(),
      LOGIN_QUIET_SECONDS,
    );
    // A sixth address of the /64 is the same source, waiting; another /64 is another source.
    expect((await loginAs(email, PASSWORD, `${prefix}:0:0:0:ffff`)).status).toBe(429);
    expect((await loginAs(email, PASSWORD, `${prefix.replace(/:1$/, ':2')}::1`)).status).toBe(200);
  });
});

describe('requests per source IP', () => {
  it('are capped whatever X-Forwarded-For says, and other sources are not affected', async () => {
    // Start early in a one-minute window, so that the whole burst falls inside it.
    while (nowSeconds() % 60 > 45) await sleep(500);
    const ip = freshIp();
    const resend = (i: number, from = ip) =>
      call(
        'PUT',
        '/api/users/reconfirm_email',
        json({ email: newEmail('ip') }, { 'x-forwarded-for': `10.0.${i}.1`, 'x-real-ip': `10.1.${i}.1` }),
        from,
      );
    const limit = IP_LIMITS_PER_MINUTE.resend;
    const statuses: number[] = [];
    for (let i = 0; i < limit + 3; i++) statuses.push((await resend(i)).status);
    expect(statuses).toEqual([...Array(limit).fill(200), 429, 429, 429]);
    const refused = await resend(99);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({ errors: { '': ['Too many requests, please try again later'] } });
    expect((await resend(100, freshIp())).status).toBe(200);
  });
});
