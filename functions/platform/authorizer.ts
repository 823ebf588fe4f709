// The platform's authorizer: an API Gateway HTTP API Lambda REQUEST authorizer (payload 2.0,
// simple responses) that a platform stack attaches to its own routes (infra/integration.ts,
// docs/integration.md). It accepts exactly what Gatehouse's own routes accept, Basic `email:key`
// (percent-decoded) or Bearer `<key>`, through the same verification, and hands the integration
// the account's context. Nothing is cached here: with the authorizer's result cache off (the
// default), a revoked key is refused on the very next request.
import { isSuspended } from '#domain/account.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { keyCredential, parseAuthorization } from '#http/auth.ts';
import { HttpError } from '#http/errors.ts';
import {
  type AccountContext,
  accountContext,
  isExpiredKey,
  verifyApiKey,
} from '#services/key-verification.ts';

/**
 * What API Gateway sends a payload 2.0 REQUEST authorizer; the headers are read, and the source
 * address, which is recorded with the key's use as Gatehouse's own routes record it.
 */
export interface AuthorizerEvent {
  readonly type?: string;
  readonly routeArn?: string;
  /** HTTP APIs pass header names in lower case. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly requestContext?: { readonly http?: { readonly sourceIp?: string } };
}

export type AuthorizerResult =
  | { readonly isAuthorized: false }
  | { readonly isAuthorized: true; readonly context: AccountContext };

const REFUSED: AuthorizerResult = { isAuthorized: false };

/** The credential of the request's Authorization header, or undefined when it is absent or malformed. */
function credentialOf(header: string | undefined) {
  try {
    const credentials = parseAuthorization(header);
    return credentials && keyCredential(credentials);
  } catch (err) {
    // A malformed header is a refusal here: API Gateway has no 400 to give for an authorizer.
    if (err instanceof HttpError) return undefined;
    throw err;
  }
}

export async function authorize(event: AuthorizerEvent, now = nowSeconds()): Promise<AuthorizerResult> {
  const credential = credentialOf(event.headers?.authorization);
  if (!credential) return REFUSED;
  const ip = event.requestContext?.http?.sourceIp;
  const userAgent = event.headers?.['user-agent']?.slice(0, 256);
  const verified = await verifyApiKey(credential, now, undefined, ip ? { ip, userAgent } : undefined);
  if (!verified || isExpiredKey(verified) || isSuspended(verified.user)) return REFUSED;
  const { user, record } = verified;
  return { isAuthorized: true, context: accountContext(user, 'api_key', record.keyId, record.scope) };
}

export const handler = (event: AuthorizerEvent): Promise<AuthorizerResult> => authorize(event);
