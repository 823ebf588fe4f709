// Small helpers to drive a Hono app or a live server the way clients do.
import { randomUUID } from 'node:crypto';

/** Basic credentials as the Gigalixir-style client sends them: each part percent-encoded. */
export const basic = (email: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(email)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

/** A fresh address per test, so tests never see each other's data or mail. */
export const newEmail = (tag = 'user'): string => `${tag}-${randomUUID().slice(0, 8)}@example.com`;

export const PASSWORD = 'correct horse battery staple';
