// Account deletion end to end against `npm start`: the destroy request over HTTP, the workflow's
// own definition run by the local stack, waiting for the platform, which answers with the AWS SDK
// as deployed, and the table read directly afterwards.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../local/wait.ts';
import { basic, json, newEmail, PASSWORD, keyed as withKey } from '../support/http.ts';
import { leftOnPurpose } from '../support/left-on-purpose.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { npmStart, type RunningStack } from '../support/npm-start.ts';

let stack: RunningStack;
beforeAll(async () => {
  stack = await npmStart([], {}, { PLATFORM_CLEANUP_TIMEOUT_SECONDS: '120' });
});

type BusEvent = { source: string; 'detail-type': string; detail: Record<string, unknown> };
const published = async (accountId: string): Promise<BusEvent[]> => {
  const { events } = (await (await fetch(`${stack.events}/events`)).json()) as { events: BusEvent[] };
  return events.filter((e) => e.detail.accountId === accountId);
};

/** The platform's side: the deletion's task token from /events, answered with the AWS SDK. */
async function cleanUpAsThePlatform(accountId: string): Promise<void> {
  let token = '';
  await waitFor(
    'account.deletion_requested with a task token at /events',
    async () => {
      const asked = (await published(accountId)).find(
        (e) => e['detail-type'] === 'account.deletion_requested',
      );
      token = String(asked?.detail.taskToken ?? '');
      return token !== '';
    },
    30_000,
  );
  const sfn = new SFNClient({
    endpoint: stack.stepFunctions,
    region: 'us-east-1',
    credentials: { accessKeyId: 'platform', secretAccessKey: 'platform' },
  });
  await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ apps: 0 }) }));
}
afterAll(() => stack?.kill());

const api = (path: string, init: RequestInit = {}) => fetch(`${stack.api}${path}`, init);

async function itemsNaming(marks: string[]): Promise<Record<string, unknown>[]> {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: `http://127.0.0.1:${stack.dynamoPort}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const { Items = [] } = await db.send(
    new ScanCommand({ TableName: 'gatehouse-local', ConsistentRead: true }),
  );
  return Items.filter((item) => marks.some((mark) => JSON.stringify(item).includes(mark)));
}

async function signUpAndLogIn(email: string): Promise<string> {
  expect(
    (await api('/api/free_users', { method: 'POST', ...json({ email, password: PASSWORD }) })).status,
  ).toBe(200);
  const mail = (await mailsTo(email, stack.mail)).at(-1);
  const token = linkToken(mail as NonNullable<typeof mail>, 'confirm-email');
  expect((await api('/confirm-email', { method: 'POST', body: new URLSearchParams({ token }) })).status).toBe(
    200,
  );
  const login = await api('/api/login', { headers: { authorization: basic(email, PASSWORD) } });
  expect(login.status).toBe(200);
  return ((await login.json()) as { data: { key: string } }).data.key;
}

describe('account deletion, end to end', () => {
  it('destroys an account with a card: the key stops, every item goes, the address signs up again', async () => {
    const email = newEmail('destroy-e2e');
    const key = await signUpAndLogIn(email);
    expect(
      (await api('/api/payment_methods', withKey(key, 'PUT', { stripe_token: 'tok_visa' }))).status,
    ).toBe(200);
    const profile = (await itemsNaming([email])).find((i) => i.type === 'user');
    const userId = String(profile?.userId);
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);

    const res = await api(
      '/api/users/destroy',
      withKey(key, 'DELETE', { email, current_password: PASSWORD }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { status: string } }).data.status).toBe('deleting');
    expect((await api('/api/users', withKey(key, 'GET'))).status).toBe(401);
    // Nothing goes before the platform has let go of the account.
    expect((await itemsNaming([userId])).some((i) => i.type === 'user')).toBe(true);
    await cleanUpAsThePlatform(userId);

    await waitFor(
      'the account to be purged',
      async () => (await itemsNaming([userId, email])).every(leftOnPurpose),
      30_000,
    );
    const [tombstone] = (await itemsNaming([userId])).filter((i) => i.type === 'tombstone');
    expect(tombstone).toMatchObject({ type: 'tombstone', userId });
    expect(
      (await mailsTo(email, stack.mail)).some((m) => m.subject === 'Your Gatehouse account was deleted'),
    ).toBe(true);
    expect((await api('/api/users', withKey(key, 'GET'))).status).toBe(401);

    const again = await signUpAndLogIn(email);
    expect((await api('/api/users', withKey(again, 'GET'))).status).toBe(200);
  });

  it('tells the platform each step of an account’s life at /events, and deletes once the platform answers the deletion’s token with the SDK', async () => {
    const email = newEmail('story-e2e');
    const key = await signUpAndLogIn(email);
    const userId = String((await itemsNaming([email])).find((i) => i.type === 'user')?.userId);
    expect(
      (await api('/api/payment_methods', withKey(key, 'PUT', { stripe_token: 'tok_visa' }))).status,
    ).toBe(200);
    expect((await api('/api/upgrade', withKey(key, 'POST', {}))).status).toBe(200);
    const next = newEmail('story-e2e-next');
    expect(
      (await api('/api/users/email', withKey(key, 'POST', { next_email: next, current_password: PASSWORD })))
        .status,
    ).toBe(200);
    const [confirmMail] = await mailsTo(next, stack.mail);
    const token = linkToken(confirmMail as NonNullable<typeof confirmMail>, 'confirm-email-change');
    expect((await api('/api/users/email/confirm', { method: 'POST', ...json({ token }) })).status).toBe(200);
    const login = await api('/api/login', { headers: { authorization: basic(next, PASSWORD) } });
    const moved = ((await login.json()) as { data: { key: string } }).data.key;
    expect(
      (await api('/api/users/destroy', withKey(moved, 'DELETE', { email: next, current_password: PASSWORD })))
        .status,
    ).toBe(200);

    await cleanUpAsThePlatform(userId);
    await waitFor(
      'account.deleted at /events',
      async () => (await published(userId)).some((e) => e['detail-type'] === 'account.deleted'),
      30_000,
    );
    const mine = await published(userId);
    expect(mine.map((e) => [e.source, e['detail-type'], e.detail.sequence])).toEqual([
      ['gatehouse', 'account.created', 1],
      ['gatehouse', 'account.payment_method_changed', 2],
      ['gatehouse', 'account.tier_changed', 3],
      ['gatehouse', 'account.email_changed', 4],
      ['gatehouse', 'account.deletion_requested', 5],
      ['gatehouse', 'account.deleted', 6],
    ]);
    expect(mine[3]?.detail).toMatchObject({ email: next, previousEmail: email, undo: false });
  });
});
