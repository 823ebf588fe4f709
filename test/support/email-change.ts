import { expect } from 'vitest';
import { activeAccount, call } from './flows.ts';
import { json, newEmail, PASSWORD } from './http.ts';
import { linkToken, mailsTo } from './mail.ts';

/** Asks to move the account of `key` (at `current`) to `next`; returns the tokens of both mails. */
export async function requestChange(key: string, current: string, next: string) {
  const body = { next_email: next, current_password: PASSWORD };
  const res = await call(
    'POST',
    '/api/users/email',
    { ...json(body), headers: { ...json(body).headers, authorization: `Bearer ${key}` } },
    `198.18.3.${Math.random().toString(36).slice(2)}`,
  );
  expect(res.status).toBe(200);
  const toNew = (await mailsTo(next))
    .filter((m) => m.subject === 'Confirm your new Gatehouse address')
    .at(-1);
  const toOld = (await mailsTo(current))
    .filter((m) => m.subject === 'Your Gatehouse address is about to change')
    .at(-1);
  if (!toNew || !toOld) throw new Error('email change mails missing');
  return {
    confirm: linkToken(toNew, 'confirm-email-change'),
    revoke: linkToken(toOld, 'revoke-email-change'),
  };
}

export const confirmChange = (token: string) =>
  call(
    'POST',
    '/api/users/email/confirm',
    json({ token }),
    `198.18.4.${Math.random().toString(36).slice(2)}`,
  );
export const revokeChangeLink = (token: string) =>
  call('POST', '/api/users/email/revoke', json({ token }), `198.18.5.${Math.random().toString(36).slice(2)}`);

/** Moves the account to `next` (requested and confirmed); returns the undo link mailed to `old`. */
export async function completeChange(key: string, old: string, next: string): Promise<string> {
  const { confirm } = await requestChange(key, old, next);
  expect((await confirmChange(confirm)).status).toBe(200);
  const changed = (await mailsTo(old))
    .filter((m) => m.subject === 'Your Gatehouse address was changed')
    .at(-1);
  if (!changed) throw new Error(`no change notice to ${old}`);
  return linkToken(changed, 'revoke-email-change');
}

/**
 * Another account moves to `address` (a second signup there would wait for its mail slot);
 * returns that account's key.
 */
export async function anotherAccountTakes(address: string, tag = 'rival'): Promise<string> {
  const email = newEmail(tag);
  const key = await activeAccount(email);
  await completeChange(key, email, address);
  return key;
}
