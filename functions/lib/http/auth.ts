// Credentials from the Authorization header: Basic `email:secret` (each part percent-encoded by
// the client, so `@` and `:` survive) or Bearer `<api key>`. Keys in query strings never count.

import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  type ApiKeyRecord,
  findAddressedKey,
  findApiKey,
  type KeySecondFactor,
  recordKeyUse,
} from '#data/api-keys.ts';
import { undoableChangeUntil } from '#data/email-change.ts';
import { getUser } from '#data/profiles.ts';
import { type Account, isActive } from '#domain/account.ts';
import { type KeyAddress, keyAddress, looksLikeApiKey } from '#domain/api-keys.ts';
import { normalizeEmail } from '#domain/email.ts';
import { AuthenticationError, ValidationError } from '#domain/errors.ts';
import { digest } from '#domain/tokens.ts';
import { general, HttpError } from './errors.ts';
import { requestNow } from './request.ts';

export type Credentials =
  | { readonly scheme: 'basic'; readonly email: string; readonly secret: string }
  | { readonly scheme: 'bearer'; readonly secret: string };

// Long enough for any real email plus a password of 256 code points, percent-encoded.
const MAX_HEADER_LENGTH = 8192;

const malformed = () => new HttpError(400, general('Malformed Authorization header'));

// Clients percent-encode each part; a person typing `curl -u 'me@x.com:100%sure'` does not. A part
// that is not valid percent-encoding is taken as it is rather than refused.
function percentDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Parses the Authorization header; undefined when absent, 400 when malformed. */
export function parseAuthorization(header: string | undefined): Credentials | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.length > MAX_HEADER_LENGTH) throw malformed();
  const [scheme, value, ...rest] = header.trim().split(/\s+/);
  if (!value || rest.length > 0) throw malformed();
  switch (scheme?.toLowerCase()) {
    case 'bearer':
      return { scheme: 'bearer', secret: value };
    case 'basic': {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw malformed();
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw malformed();
      return {
        scheme: 'basic',
        email: percentDecode(decoded.slice(0, colon)),
        secret: percentDecode(decoded.slice(colon + 1)),
      };
    }
    default:
      throw malformed();
  }
}

/** The normalized address, or undefined when it is not one (a wrong credential, not a 400). */
function addressOrNone(raw: string): string | undefined {
  try {
    return normalizeEmail(raw);
  } catch (err) {
    if (err instanceof ValidationError) return undefined;
    throw err;
  }
}

/** Basic `email:password`, as login takes it; 401 when absent, of another scheme, or no address. */
export function passwordCredentials(c: Context): { email: string; password: string } {
  const credentials = parseAuthorization(c.req.header('authorization'));
  if (credentials?.scheme !== 'basic') throw new AuthenticationError();
  const email = addressOrNone(credentials.email);
  if (!email) throw new AuthenticationError();
  return { email, password: credentials.secret };
}

export type KeyAuthEnv = {
  Variables: {
    user: Account;
    keyId: string;
    /** The key as stored: what revoking it takes. */
    keyRecord: ApiKeyRecord;
    keySecondFactor: KeySecondFactor | undefined;
    /** When this key was last used, this request included (recorded at most hourly). */
    keyLastUsedAt: number | undefined;
  };
};

/**
 * The address a Basic key credential names must be the account's, or its previous one while that
 * change can still be undone: clients that keep `email:key` (the Gigalixir CLI's netrc) go on
 * working after a change of address. Any other account's address is a wrong credential.
 */
async function addressFits(address: string | undefined, user: Account, now: number): Promise<boolean> {
  if (address === user.email) return true;
  return (
    address !== undefined &&
    address === user.previousEmail &&
    (await undoableChangeUntil(user, now)) !== undefined
  );
}

/**
 * The key and its account. A key that carries its address is one round trip (both items at once);
 * a legacy key is resolved by digest first, then its account.
 */
async function resolveKey(
  secret: string,
  address: KeyAddress | undefined,
): Promise<{ record: ApiKeyRecord; user: Account | undefined } | undefined> {
  if (address) return findAddressedKey(address, digest(secret));
  const record = await findApiKey(digest(secret));
  return record && { record, user: await getUser(record.userId) };
}

const keyMiddlewares = new WeakSet<object>();

/** Whether `handler` is one of the key middlewares (the OpenAPI document marks their routes). */
export const isKeyAuthentication = (handler: unknown): boolean =>
  typeof handler === 'function' && keyMiddlewares.has(handler);

/**
 * Resolves the API key (consistently, so a revoked key fails on the next request) and loads its
 * user; `alongside`, given, is the endpoint's own read of the account, started with the key's for
 * a key that names its account (and after it otherwise), and seen only once the key holds. A key
 * sent with another account's email is refused like a wrong key (the account's previous address
 * aside: addressFits).
 */
function keyAuth<T>(alongside?: (userId: string) => Promise<T>) {
  const middleware = createMiddleware<KeyAuthEnv & { Variables: { alongside: T } }>(async (c, next) => {
    const credentials = parseAuthorization(c.req.header('authorization'));
    if (!credentials || !looksLikeApiKey(credentials.secret)) throw new AuthenticationError();
    const address = keyAddress(credentials.secret);
    const early = address && alongside?.(address.userId);
    // Awaited below once the key holds; dropped, never unhandled, when it does not.
    early?.catch(() => undefined);
    const found = await resolveKey(credentials.secret, address);
    const user = found?.user;
    // A deletion request stops every key of the account at once, before the purge deletes them.
    if (!found || !user || !isActive(user)) throw new AuthenticationError();
    const now = requestNow(c);
    if (credentials.scheme === 'basic' && !(await addressFits(addressOrNone(credentials.email), user, now))) {
      throw new AuthenticationError();
    }
    const [lastUsedAt, read] = await Promise.all([
      recordKeyUse(found.record, now),
      early ?? alongside?.(user.userId),
    ]);
    c.set('user', user);
    c.set('keyId', found.record.keyId);
    c.set('keyRecord', found.record);
    c.set('keySecondFactor', found.record.secondFactor);
    c.set('keyLastUsedAt', lastUsedAt);
    c.set('alongside', read as T);
    await next();
  });
  keyMiddlewares.add(middleware);
  return middleware;
}

/** Middleware for every endpoint marked **key**. */
export const requireApiKey = keyAuth();

/** requireApiKey for an endpoint that reads more of the account: `read` goes with the key's reads. */
export const requireApiKeyWith = <T>(read: (userId: string) => Promise<T>) => keyAuth(read);
