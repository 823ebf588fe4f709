import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { IP_LIMITS_PER_MINUTE, LOGIN_FREE_FAILURES } from '../../functions/lib/domain/throttle.ts';
import { nowSeconds } from '../../functions/lib/domain/tokens.ts';
import { loginThrottle } from '../../functions/lib/http/throttle.ts';
import { activeAccount, call } from '../support/flows.ts';
import { basic, json, newEmail, PASSWORD } from '../support/http.ts';

const loginAs = (email: string, password: string, ip?: string) =>
  call('GET', '/api/login', { headers: { authorization: basic(email, password) } }, ip);
const failures = (email: string) => loginThrottle.failures(email);
const freshIp = () => `192.0.2.${Math.floor(Math.random() * 250)}-${Math.random().toString(36).slice(2, 8)}`;

describe('login failures per address', () => {
  it('counts 50 parallel wrong logins exactly, and checks at most 5 of them', async () => {
    const email = newEmail('stuffed');
    await activeAccount(email);
    const ip = freshIp();
    const statuses = (
      await Promise.all(Array.from({ length: 50 }, () => loginAs(email, 'wrong password!!', ip)))
    ).map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(await failures(email)).toBe(50);
    // Each attempt is counted before its password is checked, so a burst cannot share a stale count.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LOGIN_FREE_FAILURES);
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

  it('lets the right password in once the wait is over, and forgives the failures', async () => {
    const email = newEmail();
    await activeAccount(email);
    for (let i = 0; i < 5; i++) await loginAs(email, 'wrong password!!');
    const refused = await loginAs(email, PASSWORD);
    expect(refused.status).toBe(429);
    await sleep(Number(refused.headers.get('retry-after')) * 1000 + 100);
    expect((await loginAs(email, PASSWORD)).status).toBe(200);
    expect(await failures(email)).toBe(0);
    for (let i = 0; i < 5; i++) expect((await loginAs(email, 'wrong password!!')).status).toBe(401);
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
