// Small helpers to drive a Hono app or a live server the way clients do.

import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';

/** Basic credentials as the Gigalixir-style client sends them: each part percent-encoded. */
export const basic = (email: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(email)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

/** A page's form post, as a browser sends it. */
export const form = (fields: Record<string, string>): RequestInit => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

/** A fresh address per test, so tests never see each other's data or mail. */
/** A request with a key (Bearer) and, when given, a JSON body: for tests that fetch `npm start`. */
export const keyed = (key: string, method: string, body?: unknown): RequestInit => ({
  method,
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

export const newEmail = (tag = 'user'): string => `${tag}-${randomUUID().slice(0, 8)}@example.com`;

export const PASSWORD = 'correct horse battery staple';

/** What GET /api/users shows for an account just signed up and confirmed (the contract's shape). */
export const newFreeAccountView = (email: string) => ({
  email,
  tier: 'FREE',
  credit_cents: 0,
  email_confirmed: true,
  mfa_enabled: false,
  mfa_recovery_codes_left: 0,
  pending_email: null,
  payment_failed: false,
  created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  limits: { instances: 1, instance_memory_gb: 0.2, databases: 1, database_rows: 10000 },
});
