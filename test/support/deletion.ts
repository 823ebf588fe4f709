// Account deletion in tests: the local Step Functions stand-in (local/stepfunctions.ts) for the
// destroy endpoint, and an account that owns one of everything the purge must find.
import { expect } from 'vitest';
import { deletionExecutionName } from '#adapters/step-functions.ts';
import { getTombstone, markDeleting } from '#data/deletion.ts';
import { getUser, getUserByEmail } from '#data/profiles.ts';
import { digest } from '#domain/tokens.ts';
import {
  type DeletionRun,
  type RunOptions,
  startLocalStepFunctions,
  type TaskHandler,
} from '../../local/stepfunctions.ts';
import { requestChange } from './email-change.ts';
import { activeAccount, call } from './flows.ts';
import { googleLoginSession, poll } from './google.ts';
import { json, newEmail } from './http.ts';
import { basicWith, bearer, legacyKey, withKey } from './keys.ts';
import { leftOnPurpose } from './left-on-purpose.ts';
import { codeAt, loginWithCode, startMfa, verifyMfa } from './mfa.ts';
import { newSshKey } from './ssh.ts';
import { useStandIn } from './stand-in.ts';
import { allItems } from './table.ts';

/** Retries of the workflow after 1 ms instead of 2 s with backoff: the same path, sooner. */
export const FAST_RETRIES: RunOptions = { retryIntervalMs: 1 };

export const useLocalStepFunctions = () => useStandIn(() => startLocalStepFunctions(0, FAST_RETRIES));

export interface RichAccount {
  readonly email: string;
  readonly userId: string;
  /** The address of the email change left pending. */
  readonly pendingEmail: string;
  /** A key that works (MFA is on: it was minted with a code). */
  readonly key: string;
  readonly secret: Uint8Array;
}

/**
 * A confirmed account with one of everything: two keys, a linked Google identity, a card at
 * Stripe, an email change under way, a password reset link, MFA with recovery codes, counters
 * under its address (strangers' failed logins from two sources, a source it logged in from) and
 * under a key (a wrong current password), an SSH key, and the audit events of all that. Needs the Google and
 * Stripe stand-ins.
 */
export async function richAccount(tag = 'rich'): Promise<RichAccount> {
  const email = newEmail(tag);
  const first = await activeAccount(email);
  expect((await poll((await googleLoginSession(email)).session)).status).toBe(200);
  expect(
    (await call('PUT', '/api/payment_methods', withKey(first, { stripe_token: 'tok_visa' }))).status,
  ).toBe(200);
  for (const stranger of ['203.0.113.1', '2001:db8:5::1'])
    expect((await call('GET', '/api/login', basicWith(email, 'a wrong password'), stranger)).status).toBe(
      401,
    );
  expect(
    (
      await call(
        'PATCH',
        '/api/users/change_password',
        withKey(first, { current_password: 'a wrong password', new_password: 'never set, this one' }),
      )
    ).status,
  ).toBe(401);
  expect((await call('POST', '/api/ssh_keys', withKey(first, { ssh_key: newSshKey() }))).status).toBe(201);
  const pendingEmail = newEmail(`${tag}-next`);
  await requestChange(first, email, pendingEmail);
  expect((await call('PUT', '/api/users/reset_password', json({ email }))).status).toBe(200);
  const { secret } = await startMfa(first);
  const verified = await verifyMfa(first, codeAt(secret));
  expect(verified.status).toBe(200);
  const { recovery_codes: codes } = ((await verified.json()) as { data: { recovery_codes: string[] } }).data;
  // Turning MFA on revoked every key: two new ones, with a code and with a recovery code.
  // A key minted before keys carried their address: its lookup by digest must go too.
  await legacyKey(email);
  const login = await loginWithCode(email, codeAt(secret, 1));
  expect(login.status).toBe(200);
  const { key } = ((await login.json()) as { data: { key: string } }).data;
  expect((await loginWithCode(email, String(codes[0]))).status).toBe(200);
  const user = await getUserByEmail(email);
  if (!user) throw new Error('no account');
  expect(await call('GET', '/api/users', bearer(key)).then((r) => r.status)).toBe(200);
  return { email, userId: user.userId, pendingEmail, key, secret };
}

/** Marks the account DELETING as the destroy endpoint does; returns the workflow's input. */
export async function markedForDeletion(userId: string): Promise<{ userId: string; execution: string }> {
  const user = await getUser(userId);
  if (!user) throw new Error(`no account ${userId}`);
  const execution = deletionExecutionName(userId);
  expect(await markDeleting(user, execution, new Date().toISOString())).toEqual({ marked: true });
  return { userId, execution };
}

type Marks = { userId: string; email: string; pendingEmail?: string };

/** Whether an item names the account: its id, or one of its addresses. */
export const names = (item: Record<string, unknown>, account: Marks): boolean =>
  [account.userId, account.email, account.pendingEmail].some(
    (mark) => mark !== undefined && JSON.stringify(item).includes(mark),
  );

/** Every item that names the account, but what a deletion leaves on purpose. */
export const leftOf = async (account: Marks) =>
  (await allItems()).filter((item) => !leftOnPurpose(item) && names(item, account));

/** The account id of the profile of `email`. */
export async function userIdOf(email: string): Promise<string> {
  const user = await getUserByEmail(email);
  if (!user) throw new Error(`no account for ${email}`);
  return user.userId;
}

export const GOODBYE = 'Your Gatehouse account was deleted';

/** The names of the states of `run`'s events of `type` (StateEntered, StateRetried, ...), in order. */
export const statesOf = (run: DeletionRun, type: string) =>
  run.events.filter((e) => e.type === type).map((e) => e.state?.name);

/** Fails the first call of `state` with an error named `name`, then lets the real handler run. */
export function failOnce(state: string, name: string): NonNullable<RunOptions['wrap']> {
  let failed = false;
  return (s, handler): TaskHandler =>
    async (input) => {
      if (s === state && !failed) {
        failed = true;
        throw Object.assign(new Error(`${state} refused`), { name });
      }
      return handler(input);
    };
}

/** Not one item names the account; its tombstone holds a digest of the address, not the address. */
export async function expectGone(account: Marks) {
  expect(await leftOf(account)).toEqual([]);
  // What is left on purpose holds no address.
  const kept = (await allItems()).filter((item) => leftOnPurpose(item) && names(item, account));
  for (const item of kept) expect(JSON.stringify(item)).not.toContain(account.email);
  const stone = await getTombstone(account.userId);
  expect(stone).toMatchObject({ userId: account.userId, emailHash: digest(account.email) });
  expect(JSON.stringify(stone)).not.toContain(account.email);
}
