import { randomBytes, randomUUID } from 'node:crypto';
import { digest, newSecret } from './tokens.ts';

// A prefix makes leaked keys easy to spot in logs and for secret scanners.
export const API_KEY_PREFIX = 'gh_key_';
/** Keys minted before keys carried their address: a digest lookup first, then the account. */
const LEGACY_SHAPE = /^gh_key_[A-Za-z0-9_-]{43}$/;
/**
 * Keys that carry their address: the account id and the key id (16 bytes each, public facts),
 * then 32 random bytes, as one base64url run. Knowing where the key lives lets a request read the
 * key and the account in one round trip; the random part alone makes it a secret.
 */
const ADDRESSED_SHAPE = /^gh_key_[A-Za-z0-9_-]{86}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `id` has the shape of a key's public id (a UUID), before any read is spent on it. */
export const looksLikeKeyId = (id: string): boolean => UUID.test(id);

export interface NewApiKey {
  /** Shown once to the user, never stored. */
  readonly key: string;
  /** SHA-256 of the key: what the table keeps, compared on every request. */
  readonly hash: string;
  /** Public identifier, for listing and revoking one key. */
  readonly id: string;
  /** The key names its account and id (one item, read with the profile); false for legacy keys. */
  readonly addressed: boolean;
}

/** Where a key says it lives; the stored digest still has to match. */
export type KeyAddress = { readonly userId: string; readonly keyId: string };

const uuidBytes = (uuid: string) => Buffer.from(uuid.replaceAll('-', ''), 'hex');
const uuidOf = (bytes: Buffer) =>
  bytes.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** A new key of `userId`'s; addressed whenever the account id is a UUID (every id Gatehouse makes). */
export function newApiKey(userId: string): NewApiKey {
  const id = randomUUID();
  if (!UUID.test(userId)) {
    const key = API_KEY_PREFIX + newSecret();
    return { key, hash: digest(key), id, addressed: false };
  }
  const key =
    API_KEY_PREFIX + Buffer.concat([uuidBytes(userId), uuidBytes(id), randomBytes(32)]).toString('base64url');
  return { key, hash: digest(key), id, addressed: true };
}

/** Cheap shape check before any database lookup. */
export const looksLikeApiKey = (value: string): boolean =>
  LEGACY_SHAPE.test(value) || ADDRESSED_SHAPE.test(value);

/** The account and key an addressed key names; undefined for a legacy key (or no key at all). */
export function keyAddress(value: string): KeyAddress | undefined {
  if (!ADDRESSED_SHAPE.test(value)) return undefined;
  const bytes = Buffer.from(value.slice(API_KEY_PREFIX.length), 'base64url');
  return { userId: uuidOf(bytes.subarray(0, 16)), keyId: uuidOf(bytes.subarray(16, 32)) };
}

/** What a key may do: `full`, everything a login's key may; `read`, GET requests only. */
export type KeyScope = 'full' | 'read';
export const KEY_SCOPES: readonly KeyScope[] = ['full', 'read'];

/** A created key's lifetime in days, when it has one. */
export const KEY_LIFETIME_DAYS = { min: 1, max: 365 } as const;
/** A key's name, as its owner lists it: `ci`, `deploy from GitHub`. */
export const MAX_KEY_NAME_LENGTH = 64;

/** Methods that read; a `read` key may use these and nothing else. */
const READING = new Set(['GET', 'HEAD', 'OPTIONS']);
export const scopeAllows = (scope: KeyScope, method: string): boolean =>
  scope === 'full' || READING.has(method.toUpperCase());

/**
 * The name as stored, or undefined when it is not one: trimmed, one line of printable characters
 * (no control or format characters that would garble a listing on a terminal).
 */
export function keyName(raw: string): string | undefined {
  const name = raw.trim();
  if (name === '' || [...name].length > MAX_KEY_NAME_LENGTH) return undefined;
  return /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(name) ? undefined : name;
}

/** Whether a key with this expiry (epoch seconds) no longer works at `now`. */
export const hasExpired = (expiresAt: number | undefined, now: number): boolean =>
  expiresAt !== undefined && now >= expiresAt;
