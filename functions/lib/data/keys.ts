import { createHash } from 'node:crypto';

// Every key of the single table is built here, next to the access pattern it serves
// (docs/data-model.md lists the same patterns with their attributes).

export interface Key {
  readonly pk: string;
  readonly sk: string;
}

export const keys = {
  /** A user's profile: GetItem by id after resolving an email or API key. */
  user: (userId: string): Key => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  /** Email → user id. Written in the same transaction as the profile: the uniqueness guard. */
  email: (normalizedEmail: string): Key => ({ pk: `EMAIL#${normalizedEmail}`, sk: 'EMAIL' }),
  /** API key digest → user id: the lookup on every authenticated request. */
  apiKey: (keyHash: string): Key => ({ pk: `APIKEY#${keyHash}`, sk: 'APIKEY' }),
  /** Mirror of each API key under its user: Query `USER#<id>` begins_with `APIKEY#` to list or purge. */
  userApiKey: (userId: string, keyId: string): Key => ({ pk: `USER#${userId}`, sk: `APIKEY#${keyId}` }),
  /** Link token digest → purpose, user, expiry (TTL removes it later; expiry is checked on use). */
  token: (tokenHash: string): Key => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  /** One security event of a user: Query `USER#<id>` begins_with `EVENT#` for the audit trail, oldest first. */
  event: (userId: string, at: string, unique: string): Key => ({
    pk: `USER#${userId}`,
    sk: `EVENT#${at}#${unique}`,
  }),
  /** The devices an account has signed in from (digests, each with its last sign-in): one item. */
  devices: (userId: string): Key => ({ pk: `USER#${userId}`, sk: 'DEVICES' }),
  /** Hits of `subject` (an IP, an address) in `scope` during the window starting at `windowStart`. */
  counter: (scope: string, subject: string, windowStart: number): Key => ({
    pk: `RATE#${scope}#${subject}#${windowStart}`,
    sk: 'RATE',
  }),
  /** A staged signup in progress (the CLI's `gatehouse signup`); TTL ends it after an hour. */
  signup: (uuid: string): Key => ({ pk: `SIGNUP#${uuid}`, sk: 'SIGNUP' }),
  /** A promo code and its remaining uses; Query `PROMOS` lists them all. */
  promo: (code: string): Key => ({ pk: 'PROMOS', sk: `PROMO#${code}` }),
  /** A Google sign-in in progress, by the digest of its session id (the CLI polls with the id). */
  oauth: (sessionHash: string): Key => ({ pk: `OAUTH#${sessionHash}`, sk: 'OAUTH' }),
  /** A console login waiting for its second factor (digest of the browser's secret): minutes. */
  loginChallenge: (secretHash: string): Key => ({ pk: `CHALLENGE#${secretHash}`, sk: 'CHALLENGE' }),
  /** An external identity → user id; keyed by issuer and subject, never by email. */
  identity: (provider: string, subject: string): Key => ({
    pk: `IDENTITY#${provider}#${subject}`,
    sk: 'IDENTITY',
  }),
  /** Mirror of each identity under its user: Query begins_with `IDENTITY#` to list or purge. */
  userIdentity: (userId: string, provider: string, subject: string): Key => ({
    pk: `USER#${userId}`,
    sk: `IDENTITY#${provider}#${subject}`,
  }),
  /** SSH key fingerprint → user id: one account per key, and the git host's lookup. */
  sshKey: (fingerprint: string): Key => ({ pk: `SSHKEY#${fingerprint}`, sk: 'SSHKEY' }),
  /** Mirror of each SSH key under its user: Query begins_with `SSHKEY#` to list or purge. */
  userSshKey: (userId: string, keyId: string): Key => ({ pk: `USER#${userId}`, sk: `SSHKEY#${keyId}` }),
  /** Stripe customer id → user id: webhooks name customers, not accounts. */
  stripeCustomer: (customerId: string): Key => ({ pk: `STRIPECUSTOMER#${customerId}`, sk: 'STRIPECUSTOMER' }),
  /** A Stripe event being or having been applied (TTL 4 days, beyond Stripe's 3 days of retries). */
  stripeEvent: (eventId: string): Key => ({ pk: `STRIPE_EVENT#${eventId}`, sk: 'STRIPE_EVENT' }),
  /**
   * What is left of a deleted account, for audit: its id, when, and a digest of its address (TTL
   * like audit events). Written in the transaction that deletes the profile.
   */
  tombstone: (userId: string): Key => ({ pk: `TOMBSTONE#${userId}`, sk: 'TOMBSTONE' }),
  /** Attempts of `subject` in `scope` since it was last reset or quiet for a day (login attempts). */
  attempts: (scope: string, subject: string): Key => ({ pk: `RATE#${scope}#${subject}`, sk: 'RATE' }),
  /**
   * Login attempts at an address from one source, beside the address's own count (same partition,
   * so that Query `RATE#login-attempts#<address>` finds them all when the account is purged).
   */
  loginSource: (normalizedEmail: string, source: string): Key => ({
    pk: `RATE#${ATTEMPT_SCOPES.login}#${normalizedEmail}`,
    sk: `SOURCE#${source}`,
  }),
  /** A source that logged in to the address (or reset its password): it keeps its own budget. */
  trustedSource: (normalizedEmail: string, source: string): Key => ({
    pk: `RATE#${ATTEMPT_SCOPES.login}#${normalizedEmail}`,
    sk: `TRUSTED#${source}`,
  }),
  /** Wrong passwords and codes sent with one API key, under its account (purged with it). */
  reauthAttempts: (userId: string, keyId: string): Key => ({ pk: `USER#${userId}`, sk: `REAUTH#${keyId}` }),
  /**
   * A lifecycle event waiting to go out (data/outbox.ts): written in the transaction of the change
   * it reports, under the account's own events partition, so the table's stream hands an account's
   * events to the publisher in the order they were written.
   */
  outbox: (userId: string, time: string, eventId: string): Key => ({
    pk: `EVENTS#${userId}`,
    sk: `OUT#${time}#${eventId}`,
  }),
  /** The last sequence number the publisher gave an event of the account. */
  eventSequence: (userId: string): Key => ({ pk: `EVENTS#${userId}`, sk: 'SEQUENCE' }),
  /** When the next mail of a purpose may go to an address (at most one a minute). */
  mailRate: (purpose: string, normalizedEmail: string): Key => ({
    pk: `RATE#mail:${purpose}#${normalizedEmail}`,
    sk: 'RATE',
  }),
} as const;

/** Scopes of `keys.attempts`: login attempts per address, wrong second factors in a row per user. */
export const ATTEMPT_SCOPES = { login: 'login-attempts', mfaFailures: 'mfa-failures' } as const;

/** The user id in a `USER#<id>` partition key. */
export const userIdOf = (pk: string): string => pk.slice('USER#'.length);

/** Partitions of the UNCONFIRMED index: spread so a signup burst does not heat one key. */
export const UNCONFIRMED_SHARDS = 10;

export const unconfirmedShard = (shard: number): string => `UNCONFIRMED#${shard}`;

/**
 * Sparse gsi1 keys of an account still UNCONFIRMED: a shard chosen by its id, sorted by creation
 * time. The cleanup queries each shard for `gsi1sk < cutoff` (never a Scan); confirming removes
 * both attributes, so the index only ever holds what the cleanup may delete.
 */
export const unconfirmedIndexKey = (userId: string, createdAt: string) => ({
  gsi1pk: unconfirmedShard(createHash('sha256').update(userId).digest().readUInt8(0) % UNCONFIRMED_SHARDS),
  gsi1sk: createdAt,
});
