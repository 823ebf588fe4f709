// The staged signup as the CLI drives it, shared by the signup tests.
import { expect } from 'vitest';
import { call } from './flows.ts';
import { json, PASSWORD } from './http.ts';
import { mailsTo } from './mail.ts';

/** One step, from a source IP of its own (these tests are not about the per-IP ceiling). */
export const step = (body: Record<string, unknown>) =>
  call('POST', '/api/signup', json(body), `192.0.2.${Math.random().toString(36).slice(2)}`);

export async function begin(email: string): Promise<{ uuid: string; code: string }> {
  const res = await step({ email });
  expect(res.status).toBe(200);
  const { uuid } = ((await res.json()) as { data: { uuid: string } }).data;
  const mail = (await mailsTo(email)).at(-1);
  const code = /code is (\d{6})/.exec(mail?.body.text ?? '')?.[1];
  if (!code) throw new Error(`no code mailed to ${email}`);
  return { uuid, code };
}

/** A session that has passed the code and password steps. */
export async function readyForTier(email: string): Promise<string> {
  const { uuid, code } = await begin(email);
  expect((await step({ uuid, confirmation_code: code })).status).toBe(200);
  expect((await step({ uuid, password: PASSWORD })).status).toBe(200);
  return uuid;
}
