import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { tableName } from '#data/client.ts';
import { keys } from '#data/keys.ts';
import { getUser } from '#data/profiles.ts';
import { digest, nowSeconds } from '#domain/tokens.ts';
import { CHANGE_REQUESTED } from '#services/email-change-request.ts';
import { userIdOf } from '../support/deletion.ts';
import {
  anotherAccountTakes,
  completeChange,
  confirmChange,
  requestChange,
  revokeChangeLink,
} from '../support/email-change.ts';
import { activeAccount, call, login } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { uniqueIp } from '../support/ips.ts';
import { bearer, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { meanwhile, touchProfile } from '../support/race.ts';
import { direct } from '../support/table.ts';

const ask = (key: string, body: Record<string, unknown>) =>
  call('POST', '/api/users/email', {
    ...json(body),
    headers: { ...json(body).headers, ...bearer(key).headers },
  });

/** Until when an undo link works, as its token says. */
const undoableUntil = async (undo: string) => {
  const { Item } = await direct.send(
    new GetCommand({ TableName: tableName(), Key: keys.token(digest(undo)), ConsistentRead: true }),
  );
  return new Date(Number(Item?.expiresAt) * 1000).toISOString();
};

/** The link outlives its 7 days: its token's expiry moves to the past (TTL has not removed it yet). */
const expireLink = (token: string) =>
  direct.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.token(digest(token)),
      UpdateExpression: 'SET expiresAt = :past',
      ExpressionAttributeValues: { ':past': nowSeconds() - 1 },
    }),
  );

describe('POST /api/users/email', () => {
  it('mails a link to the new address and an undo link to the old; nothing changes yet', async () => {
    const old = newEmail('mover');
    const next = newEmail('moved');
    const key = await activeAccount(old);
    const res = await ask(key, { next_email: next.toUpperCase(), current_password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: CHANGE_REQUESTED } });
    const account = await (await call('GET', '/api/users', bearer(key))).json();
    expect(account).toMatchObject({ data: { email: old, pending_email: next } });
    expect((await mailsTo(next)).map((m) => m.subject)).toEqual(['Confirm your new Gatehouse address']);
    const notice = (await mailsTo(old)).at(-1);
    expect(notice?.subject).toBe('Your Gatehouse address is about to change');
    expect(notice?.body.text).toContain('/revoke-email-change?token=');
    expect((await login(old)).status).toBe(200);
  });

  it('refuses a wrong password, the same address, a bad or disposable one, and changes nothing', async () => {
    const email = newEmail('stays');
    const key = await activeAccount(email);
    const wrong = await ask(key, { next_email: newEmail(), current_password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ errors: { current_password: ['is incorrect'] } });
    for (const [next_email, message] of [
      [email, 'is already the address of this account'],
      ['not an address', 'is not a valid email address'],
      ['x@mailinator.com', 'is a disposable address; use one you will keep'],
    ]) {
      const res = await ask(key, { next_email, current_password: PASSWORD });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ errors: { next_email: [message] } });
    }
    expect(await (await call('GET', '/api/users', bearer(key))).json()).toMatchObject({
      data: { pending_email: null },
    });
  });

  it('mails a stranger’s address at most once a minute, whatever account or IP asks; a refused ask changes nothing', async () => {
    const victim = newEmail('flooded');
    const mover = newEmail('flooder');
    const key = await activeAccount(mover);
    const { confirm } = await requestChange(key, mover, victim);
    for (let i = 0; i < 10; i++) {
      const res = await call(
        'POST',
        '/api/users/email',
        withKey(key, { next_email: victim, current_password: PASSWORD }),
        uniqueIp(),
      );
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toEqual({
        errors: {
          '': [
            'That address gets at most one confirmation link a minute, whichever account asks. Wait a minute and try again.',
          ],
        },
      });
    }
    // Another account, another IP: the address's minute is the same.
    const other = newEmail('flooder2');
    const otherKey = await activeAccount(other);
    expect((await ask(otherKey, { next_email: victim, current_password: PASSWORD })).status).toBe(429);
    expect(await mailsTo(victim)).toHaveLength(1);
    expect(
      (await mailsTo(mover)).filter((m) => m.subject === 'Your Gatehouse address is about to change'),
    ).toHaveLength(1);
    expect((await mailsTo(other)).filter((m) => m.subject.includes('about to change'))).toEqual([]);
    expect(await (await call('GET', '/api/users', bearer(otherKey))).json()).toMatchObject({
      data: { pending_email: null },
    });
    // The link of the first ask still works: the refused ones replaced nothing.
    expect((await confirmChange(confirm)).status).toBe(200);
  });

  it('gives the address its minute back when the change fails after claiming it', async () => {
    const mover = newEmail('raced-mover');
    const key = await activeAccount(mover);
    const userId = await userIdOf(mover);
    const next = newEmail('raced-next');
    meanwhile('TransactWriteItemsCommand', () => touchProfile(userId));
    const raced = await ask(key, { next_email: next, current_password: PASSWORD });
    expect(raced.status).toBe(409);
    expect(await mailsTo(next)).toEqual([]);
    // Asked again at once: no minute to wait, since no mail went.
    const { confirm } = await requestChange(key, mover, next);
    expect(await mailsTo(next)).toHaveLength(1);
    expect((await confirmChange(confirm)).status).toBe(200);
  });

  it('lets a newer request replace an older one', async () => {
    const old = newEmail('fickle');
    const key = await activeAccount(old);
    const first = await requestChange(key, old, newEmail('first'));
    const second = await requestChange(key, old, newEmail('second'));
    expect((await call('POST', '/api/users/email/confirm', json({ token: first.confirm }))).status).toBe(400);
    expect((await call('POST', '/api/users/email/confirm', json({ token: second.confirm }))).status).toBe(
      200,
    );
  });

  it('refuses another change while the last one can be undone; the undo link still works, then it may', async () => {
    const old = newEmail('owner');
    const taken = newEmail('taken');
    const key = await activeAccount(old);
    const userId = await userIdOf(old);
    const undo = await completeChange(key, old, taken);
    const profile = await getUser(userId);
    const further = newEmail('further');
    const res = await ask(key, { next_email: further, current_password: PASSWORD });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      errors: {
        '': [
          `The last change of address can still be undone from the old address until ${await undoableUntil(undo)}. Change it again after that.`,
        ],
      },
    });
    expect(await getUser(userId)).toEqual(profile);
    expect(await mailsTo(further)).toEqual([]);
    expect((await mailsTo(taken)).map((m) => m.subject)).not.toContain(
      'Your Gatehouse address is about to change',
    );

    expect((await revokeChangeLink(undo)).status).toBe(200);
    expect((await login(taken)).status).toBe(401);
    const relogin = await login(old);
    expect(relogin.status).toBe(200);
    const back = ((await relogin.json()) as { data: { key: string } }).data.key;
    const again = await ask(back, { next_email: further, current_password: PASSWORD });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ data: { message: CHANGE_REQUESTED } });
  });

  it('allows a change again once the undo link of the last one has expired', async () => {
    const old = newEmail('slow');
    const now = newEmail('now');
    const key = await activeAccount(old);
    const undo = await completeChange(key, old, now);
    await expireLink(undo);
    const next = newEmail('later');
    const { confirm } = await requestChange(key, now, next);
    expect((await revokeChangeLink(undo)).status).toBe(400);
    expect((await confirmChange(confirm)).status).toBe(200);
    expect((await login(next)).status).toBe(200);
  });

  it('allows a change again once another confirmed account has the old address: that undo cannot work', async () => {
    const old = newEmail('left');
    const now = newEmail('left-now');
    const key = await activeAccount(old);
    const undo = await completeChange(key, old, now);
    await anotherAccountTakes(old, 'left-taker');
    const next = newEmail('left-later');
    const { confirm } = await requestChange(key, now, next);
    expect((await confirmChange(confirm)).status).toBe(200);
    expect((await login(next)).status).toBe(200);
    expect((await revokeChangeLink(undo)).status).toBe(400);
  });

  it('lets a newer request replace an older one after an earlier change was confirmed', async () => {
    const old = newEmail('twice');
    const now = newEmail('twice-now');
    const key = await activeAccount(old);
    await expireLink(await completeChange(key, old, now));
    const first = await requestChange(key, now, newEmail('first'));
    const second = await requestChange(key, now, newEmail('second'));
    expect((await confirmChange(first.confirm)).status).toBe(400);
    expect((await confirmChange(second.confirm)).status).toBe(200);
  });
});
