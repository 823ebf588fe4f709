// The scheduled removal of never-confirmed signups, with a controllable clock.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UNCONFIRMED_SHARDS } from '#data/keys.ts';
import { createUnconfirmedUser } from '#data/profiles.ts';
import { deleteUnconfirmedUser, staleUnconfirmed } from '#data/unconfirmed.ts';
import { newToken, nowSeconds } from '#domain/tokens.ts';
import { cleanupUnconfirmed } from '../../functions/jobs/cleanup-unconfirmed.ts';
import { call, confirm } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { itemsAbout } from '../support/table.ts';

const DAY = 24 * 3600;
const RETENTION = 7 * DAY;

/** An UNCONFIRMED account created `daysAgo` days ago; returns its link token. */
async function seed(email: string, daysAgo: number): Promise<string> {
  const now = nowSeconds() - daysAgo * DAY;
  const token = newToken();
  await createUnconfirmedUser({
    userId: randomUUID(),
    email,
    passwordHash:
      '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
    createdAt: new Date(now * 1000).toISOString(),
    // The link is still live, so that a late confirmation can race the cleanup.
    confirmToken: { hash: token.hash, expiresAt: nowSeconds() + DAY },
  });
  return token.token;
}

const run = (options: Partial<Parameters<typeof cleanupUnconfirmed>[0]> = {}) =>
  cleanupUnconfirmed({ now: nowSeconds(), retentionSeconds: RETENTION, shouldStop: () => false, ...options });

/** Every stale candidate of every shard, as the job sees them. */
async function candidates(cutoff: string) {
  const all = [];
  for (let shard = 0; shard < UNCONFIRMED_SHARDS; shard++) {
    for await (const page of staleUnconfirmed(shard, cutoff)) all.push(...page);
  }
  return all;
}

afterEach(() => vi.restoreAllMocks());

describe('the cleanup of unconfirmed signups', () => {
  it('removes only old unconfirmed accounts, wholly; their address can sign up again', async () => {
    const old = newEmail('old');
    const recent = newEmail('recent');
    const confirmed = newEmail('confirmed');
    await seed(old, 10);
    await seed(recent, 2);
    expect((await confirm(await seed(confirmed, 10))).status).toBe(200);

    const summary = await run();
    expect(summary.deleted).toBeGreaterThanOrEqual(1);
    expect(summary.stoppedEarly).toBe(false);
    expect(await itemsAbout(old)).toEqual([]);
    expect((await itemsAbout(recent)).find((i) => i.type === 'user')).toMatchObject({
      status: 'UNCONFIRMED',
    });
    expect((await itemsAbout(confirmed)).find((i) => i.type === 'user')).toMatchObject({ status: 'ACTIVE' });

    expect((await call('POST', '/api/free_users', json({ email: old, password: PASSWORD }))).status).toBe(
      200,
    );
    expect((await itemsAbout(old)).find((i) => i.type === 'user')).toMatchObject({ status: 'UNCONFIRMED' });
  });

  it('changes nothing on a second run', async () => {
    await seed(newEmail('twice'), 9);
    await run();
    expect(await run()).toMatchObject({ examined: 0, deleted: 0 });
  });

  it('keeps a user who confirms while the run is under way', async () => {
    const email = newEmail('racer');
    const token = await seed(email, 8);
    const cutoff = new Date((nowSeconds() - RETENTION) * 1000).toISOString();
    const mine = (await candidates(cutoff)).find((c) => c.email === email);
    expect(mine).toBeDefined();
    // The user confirms between the job's query and its delete.
    expect((await confirm(token)).status).toBe(200);
    expect(await deleteUnconfirmedUser(mine as NonNullable<typeof mine>, cutoff)).toBe(false);
    expect((await itemsAbout(email)).find((i) => i.type === 'user')).toMatchObject({ status: 'ACTIVE' });
  });

  it('follows the clock it is given', async () => {
    const email = newEmail('clock');
    await seed(email, 3);
    await run();
    expect((await itemsAbout(email)).some((i) => i.type === 'user')).toBe(true);
    await run({ now: nowSeconds() + 5 * DAY });
    expect(await itemsAbout(email)).toEqual([]);
  });

  it('stops cleanly when told to and leaves the rest for the next run', async () => {
    const emails = Array.from({ length: 12 }, () => newEmail('many'));
    await Promise.all(emails.map((e) => seed(e, 30)));
    let pages = 0;
    const first = await run({ pageSize: 2, shouldStop: () => pages++ >= 2 });
    expect(first.stoppedEarly).toBe(true);
    expect(first.deleted).toBeLessThanOrEqual(4);
    const second = await run();
    expect(second.stoppedEarly).toBe(false);
    for (const email of emails) expect(await itemsAbout(email)).toEqual([]);
  });

  it('logs one summary line with its counts', async () => {
    await seed(newEmail('logged'), 9);
    vi.stubEnv('LOG_LEVEL', 'info');
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const summary = await run();
      expect(logged).toHaveBeenCalledOnce();
      expect(JSON.parse(String(logged.mock.calls[0]?.[0]))).toMatchObject({
        message: 'cleanup of unconfirmed signups',
        ...summary,
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
