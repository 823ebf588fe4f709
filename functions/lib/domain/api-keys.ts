import { randomUUID } from 'node:crypto';
import { digest, newSecret } from './tokens.ts';

// A prefix makes leaked keys easy to spot in logs and for secret scanners.
export const API_KEY_PREFIX = 'gh_key_';
const API_KEY_SHAPE = /^gh_key_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  /** Shown once to the user, never stored. */
  readonly key: string;
  /** SHA-256 of the key: the lookup key in the table. */
  readonly hash: string;
  /** Public identifier, for listing and revoking one key. */
  readonly id: string;
}

export function newApiKey(): NewApiKey {
  const key = API_KEY_PREFIX + newSecret();
  return { key, hash: digest(key), id: randomUUID() };
}

/** Cheap shape check before any database lookup. */
export const looksLikeApiKey = (value: string): boolean => API_KEY_SHAPE.test(value);
