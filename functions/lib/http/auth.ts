// Credentials from the Authorization header: Basic `email:secret` (each part percent-encoded by
// the client, so `@` and `:` survive) or Bearer `<api key>`. Keys in query strings never count.

import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ApiKeyRecord, KeySecondFactor } from '#data/api-keys.ts';
import { type Account, isSuspended } from '#domain/account.ts';
import { type KeyScope, scopeAllows } from '#domain/api-keys.ts';
import { normalizeEmail } from '#domain/email.ts';
import {
  AccountSuspendedError,
  AuthenticationError,
  ForbiddenError,
  ValidationError,
} from '#domain/errors.ts';
import { keyExpired, READ_ONLY_KEY } from '#domain/messages.ts';
import { isExpiredKey, verifyApiKey } from '#services/key-verification.ts';
import { general, HttpError } from './errors.ts';
import { requestNow, requestOrigin } from './request.ts';

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
    keyScope: KeyScope;
    /** When this key was last used, this request included (recorded at most hourly). */
    keyLastUsedAt: number | undefined;
  };
};

/**
 * The key credential to verify: Bearer is the key alone; Basic names an address too, which must be
 * the account's (services/key-verification.ts). A Basic username that is no address at all names
 * no account, so it gets an address no account has: refused like a wrong key, after the same reads.
 */
export const keyCredential = (credentials: Credentials): { secret: string; email?: string } =>
  credentials.scheme === 'bearer'
    ? { secret: credentials.secret }
    : { secret: credentials.secret, email: addressOrNone(credentials.email) ?? '' };

const keyMiddlewares = new WeakSet<object>();
const suspensionRefusers = new WeakSet<object>();

/** Whether `handler` is one of the key middlewares (the OpenAPI document marks their routes). */
export const isKeyAuthentication = (handler: unknown): boolean =>
  typeof handler === 'function' && keyMiddlewares.has(handler);

/** Whether `handler` is a key middleware that refuses a suspended account (all but deletion's). */
export const refusesSuspended = (handler: unknown): boolean =>
  typeof handler === 'function' && suspensionRefusers.has(handler);

/**
 * Resolves the API key and its user (services/key-verification.ts: consistent reads, so a revoked
 * key fails on the next request); `alongside`, given, is the endpoint's own read of the account,
 * seen only once the key holds. A key sent with another account's email is refused like a wrong key;
 * an expired key is told so (401); a suspended account's key is refused (403), and a read-only key
 * anything but a read (403). No side effects but the registration, which only a middleware in use
 * needs: an endpoint that uses none of the middlewares below leaves them out of its build (esbuild
 * keeps a call at module scope otherwise).
 */
/* @__NO_SIDE_EFFECTS__ */
function keyAuth<T>(alongside?: (userId: string) => Promise<T>, { whileSuspended = false } = {}) {
  const middleware = createMiddleware<KeyAuthEnv & { Variables: { alongside: T } }>(async (c, next) => {
    const credentials = parseAuthorization(c.req.header('authorization'));
    if (!credentials) throw new AuthenticationError();
    const verified = await verifyApiKey(
      keyCredential(credentials),
      requestNow(c),
      alongside,
      requestOrigin(c),
    );
    if (!verified) throw new AuthenticationError();
    if (isExpiredKey(verified)) throw new AuthenticationError(keyExpired(verified.expiredAt));
    if (isSuspended(verified.user) && !whileSuspended) throw new AccountSuspendedError();
    if (!scopeAllows(verified.record.scope, c.req.method)) throw new ForbiddenError(READ_ONLY_KEY);
    c.set('user', verified.user);
    c.set('keyId', verified.record.keyId);
    c.set('keyRecord', verified.record);
    c.set('keySecondFactor', verified.record.secondFactor);
    c.set('keyScope', verified.record.scope);
    c.set('keyLastUsedAt', verified.lastUsedAt);
    c.set('alongside', verified.alongside);
    await next();
  });
  keyMiddlewares.add(middleware);
  if (!whileSuspended) suspensionRefusers.add(middleware);
  return middleware;
}

/** Middleware for every endpoint marked **key**. */
export const requireApiKey = keyAuth();

/** requireApiKey that a suspended account passes too: its owner may still delete it. */
export const requireApiKeyEvenSuspended = keyAuth(undefined, { whileSuspended: true });

/** requireApiKey for an endpoint that reads more of the account: `read` goes with the key's reads. */
export const requireApiKeyWith = <T>(read: (userId: string) => Promise<T>) => keyAuth(read);
