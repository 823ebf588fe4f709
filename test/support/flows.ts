// Whole user steps, shared by the integration tests that need an account in a given state.

import type { Hono } from 'hono';
import { expect } from 'vitest';
import { createLocalApp } from '../../local/server.ts';
import { basic, json, PASSWORD } from './http.ts';
import { uniqueIp } from './ips.ts';
import { linkToken, mailsTo } from './mail.ts';

let app: Promise<Hono> | undefined;
/** Every route of the route table, mounted as `npm start` mounts them. */
export const api = (): Promise<Hono> => {
  app ??= createLocalApp();
  return app;
};

/** Each test file calls from its own source IP, as API Gateway would report it. */
export const sourceIp = uniqueIp();

export const lambdaEnv = (ip: string) => ({ event: { requestContext: { http: { sourceIp: ip } } } });

export async function call(
  method: string,
  path: string,
  init: RequestInit = {},
  ip = sourceIp,
): Promise<Response> {
  return (await api()).request(path, { method, ...init }, lambdaEnv(ip));
}

export async function signUp(email: string, password = PASSWORD, ip = sourceIp): Promise<string> {
  const res = await call('POST', '/api/free_users', json({ email, password }), ip);
  expect(res.status).toBe(200);
  const mails = await mailsTo(email.trim().toLowerCase());
  const last = mails.at(-1);
  if (!last) throw new Error(`no mail to ${email}`);
  return linkToken(last, 'confirm-email');
}

export async function confirm(token: string): Promise<Response> {
  return call('POST', '/api/users/confirm_email', json({ token }));
}

export async function login(
  email: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
  mfaToken?: string,
) {
  const query = mfaToken === undefined ? '' : `?mfa_token=${encodeURIComponent(mfaToken)}`;
  return call('GET', `/api/login${query}`, {
    headers: { authorization: basic(email, password), ...headers },
  });
}

/** A confirmed account and a fresh API key for it. */
export async function activeAccount(email: string, password = PASSWORD): Promise<string> {
  expect((await confirm(await signUp(email, password))).status).toBe(200);
  const res = await login(email, password);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { key: string } }).data.key;
}
