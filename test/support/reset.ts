import { expect } from 'vitest';
import { call } from './flows.ts';
import { json } from './http.ts';
import { linkToken, mailsTo } from './mail.ts';

/** Asks for a reset link and returns its token, read from the mail. */
export async function resetToken(email: string): Promise<string> {
  const res = await call(
    'PUT',
    '/api/users/reset_password',
    json({ email }),
    `198.18.1.${Math.random().toString(36).slice(2)}`,
  );
  expect(res.status).toBe(200);
  const mail = (await mailsTo(email)).filter((m) => m.subject === 'Reset your Gatehouse password').at(-1);
  if (!mail) throw new Error(`no reset mail to ${email}`);
  return linkToken(mail, 'reset-password');
}
