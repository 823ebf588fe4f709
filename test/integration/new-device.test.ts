// A sign-in from a device and network the account has not signed in from is mailed to its owner.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { deviceOf, MAX_KNOWN_DEVICES } from '#domain/devices.ts';
import { userIdOf } from '../support/deletion.ts';
import { call, confirm, signUp } from '../support/flows.ts';
import { googleLoginSession, useFakeGoogle } from '../support/google.ts';
import { basic, newEmail, PASSWORD } from '../support/http.ts';
import { uniqueIp } from '../support/ips.ts';
import { mailsTo } from '../support/mail.ts';
import { mfaAccount } from '../support/mfa.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { allItems, direct } from '../support/table.ts';

useFakeGoogle();

const NOTICE = 'New sign-in to your Gatehouse account';
const CLI = (version: string) => `gatehouse-cli/${version} node/24.1.0`;

async function loginFrom(email: string, ip: string, userAgent: string, code?: string) {
  const query = code === undefined ? '' : `?mfa_token=${encodeURIComponent(code)}`;
  const res = await call(
    'GET',
    `/api/login${query}`,
    { headers: { authorization: basic(email, PASSWORD), 'user-agent': userAgent } },
    ip,
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { data: { key: string } }).data.key;
}

const notices = async (email: string) => (await mailsTo(email)).filter((m) => m.subject === NOTICE);
const keyIdOf = (key: string) =>
  Buffer.from(key.slice(7), 'base64url')
    .subarray(16, 32)
    .toString('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

describe('the new-device notice', () => {
  it('is not sent for the first sign-in, nor a known device, and is for a new client or network', async () => {
    const email = newEmail('devices');
    expect((await confirm(await signUp(email))).status).toBe(200);
    const home = '203.0.113.10';
    await loginFrom(email, home, CLI('1.2.0'));
    // The same client on the same network: an update and another address there change nothing.
    await loginFrom(email, '203.0.113.99', CLI('1.3.0'));
    expect(await notices(email)).toEqual([]);

    const browser = 'Mozilla/5.0 (Macintosh) Firefox/133.0';
    const key = await loginFrom(email, home, browser);
    const [first, ...rest] = await notices(email);
    expect(rest).toEqual([]);
    const text = first?.body.text ?? '';
    expect(text).toContain(`from ${home} (${browser}), with the password.`);
    expect(text).toMatch(/signed in to on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).toContain(`gatehouse account:api_keys:revoke ${keyIdOf(key)}`);
    expect(text).toContain('gatehouse account:password:reset');
    expect(text).not.toContain(key);

    // The CLI, known at home, from another network.
    await loginFrom(email, '198.51.100.4', CLI('1.3.0'));
    expect(await notices(email)).toHaveLength(2);
    // Known from then on.
    await loginFrom(email, '198.51.100.5', CLI('1.3.0'));
    expect(await notices(email)).toHaveLength(2);
  });

  it('says which second factor signed in, and what to do about a recovery code', async () => {
    const email = newEmail('devices-mfa');
    // Signed in once already (mfaAccount logs in to turn MFA on).
    const account = await mfaAccount(email);
    await loginFrom(email, uniqueIp(), CLI('1.0.0'), account.recoveryCodes[0]);
    const [notice] = await notices(email);
    expect(notice?.body.text).toContain('with the password and a recovery code.');
    expect(notice?.body.text).toContain('gatehouse account:mfa:recovery_codes:regenerate');
  });

  it('goes out for a Google sign-in from a new device too', async () => {
    const email = newEmail('devices-google');
    expect((await confirm(await signUp(email))).status).toBe(200);
    await loginFrom(email, '203.0.113.30', CLI('1.0.0'));
    const { session } = await googleLoginSession(email);
    expect((await call('GET', `/api/oauth/google/${session}`, {}, uniqueIp())).status).toBe(200);
    const [notice] = await notices(email);
    expect(notice?.body.text).toContain(', with Google.');
  });

  it(`remembers at most ${MAX_KNOWN_DEVICES} devices, as digests only`, async () => {
    const email = newEmail('devices-many');
    expect((await confirm(await signUp(email))).status).toBe(200);
    const ips: string[] = [];
    for (let i = 0; i < MAX_KNOWN_DEVICES + 3; i++) {
      ips.push(uniqueIp());
      await loginFrom(email, ips.at(-1) as string, `device-${i}/1.0`);
    }
    const userId = await userIdOf(email);
    const item = (await allItems()).find((i) => i.pk === `USER#${userId}` && i.sk === 'DEVICES');
    const devices = item?.devices as Record<string, number>;
    expect(Object.keys(devices)).toHaveLength(MAX_KNOWN_DEVICES);
    expect(JSON.stringify(item)).not.toMatch(/device-\d|2001:db8/);
    expect(await notices(email)).toHaveLength(MAX_KNOWN_DEVICES + 2);
    // One seen longest ago was forgotten (logins within one second tie): from there again is news.
    const forgotten = ips.findIndex((ip, i) => !(deviceOf(ip, `device-${i}/1.0`) in devices));
    expect(forgotten).toBeGreaterThanOrEqual(0);
    await loginFrom(email, ips[forgotten] as string, `device-${forgotten}/1.0`);
    expect(await notices(email)).toHaveLength(MAX_KNOWN_DEVICES + 3);
  });

  describe('a login taken back (the account changed meanwhile: 409) leaves the devices as they were', () => {
    const devicesOf = async (userId: string) =>
      (await allItems()).find((i) => i.pk === `USER#${userId}` && i.sk === 'DEVICES')?.devices as
        | Record<string, number>
        | undefined;
    /** A login from `ip` whose guard finds MFA switched on meanwhile (then off again). */
    async function takenBack(email: string, userId: string, ip: string, userAgent: string) {
      const ran = meanwhile(
        'BatchWriteItemCommand',
        () => touchProfile(userId, { mfaEnabled: true }),
        (input) => JSON.stringify(input).includes('APIKEY#'),
      );
      const res = await call(
        'GET',
        '/api/login',
        { headers: { authorization: basic(email, PASSWORD), 'user-agent': userAgent } },
        ip,
      );
      expect(ran()).toBe(true);
      expect(res.status).toBe(409);
      await touchProfile(userId, { mfaEnabled: false });
    }

    it('a new device stays new: its next sign-in is news', async () => {
      const email = newEmail('devices-undo');
      expect((await confirm(await signUp(email))).status).toBe(200);
      await loginFrom(email, '203.0.113.40', CLI('1.0.0'));
      const userId = await userIdOf(email);
      const before = await devicesOf(userId);
      await takenBack(email, userId, '198.51.100.40', CLI('1.0.0'));
      expect(await devicesOf(userId)).toEqual(before);
      await loginFrom(email, '198.51.100.40', CLI('1.0.0'));
      expect(await notices(email)).toHaveLength(1);
    });

    it('the first sign-in stays the first: no item is left, and the next is quiet', async () => {
      const email = newEmail('devices-undo-first');
      expect((await confirm(await signUp(email))).status).toBe(200);
      const userId = await userIdOf(email);
      await takenBack(email, userId, '203.0.113.41', CLI('1.0.0'));
      expect(await devicesOf(userId)).toBeUndefined();
      await loginFrom(email, '198.51.100.41', CLI('1.0.0'));
      expect(await notices(email)).toEqual([]);
      expect(Object.keys((await devicesOf(userId)) ?? {})).toHaveLength(1);
    });

    it(`the device forgotten to make room among ${MAX_KNOWN_DEVICES} comes back`, async () => {
      const email = newEmail('devices-undo-full');
      expect((await confirm(await signUp(email))).status).toBe(200);
      await loginFrom(email, '203.0.113.42', CLI('1.0.0'));
      const userId = await userIdOf(email);
      const now = Math.floor(Date.now() / 1000);
      const full = Object.fromEntries(
        Array.from({ length: MAX_KNOWN_DEVICES }, (_, i) => [
          deviceOf(uniqueIp(), `seeded/${i}`),
          now - 1000 + i,
        ]),
      );
      await direct.send(
        new PutCommand({
          TableName: process.env.TABLE_NAME,
          Item: { pk: `USER#${userId}`, sk: 'DEVICES', type: 'devices', userId, devices: full },
        }),
      );
      await takenBack(email, userId, '198.51.100.42', CLI('1.0.0'));
      expect(await devicesOf(userId)).toEqual(full);
    });
  });
});
