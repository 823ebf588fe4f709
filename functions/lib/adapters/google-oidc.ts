// Talking to Google (or, in tests and `npm start`, a local OpenID provider at the configured
// endpoints): the code exchange and the ID token's verification. An ID token is believed only when
// its signature checks against the provider's keys (RS256 only: no `none`, no HMAC with a public
// key), its issuer and audience are ours, it has not expired, its nonce is the session's, and its
// address is verified.
import { AuthenticationError, UpstreamError } from '#domain/errors.ts';
import { ConfigError, type GoogleConfig } from '#shared/config.ts';
import { lazily } from '#shared/lazy.ts';
import { log } from '#shared/log.ts';
import { googleConfig, googleRedirectUri } from './google-config.ts';
import { secretValue } from './secrets-manager.ts';

export const GOOGLE_FAILED = 'Google sign-in failed. Start again.';
const EXCHANGE_TIMEOUT_MS = 5000;

/** What Gatehouse takes from a verified ID token. */
export interface GoogleIdentity {
  readonly sub: string;
  readonly email: string;
}

// jose is loaded on the first token to verify (a chunk of its own, deployed: infra/lambda.ts), not
// at cold start; the code exchange starts that load, so that it runs while Google answers.
type Jose = typeof import('./google-oidc.sdk.ts');
const loadJose = lazily(() => import('./google-oidc.sdk.ts'));

let jwks: { uri: string; keys: ReturnType<Jose['createRemoteJWKSet']> } | undefined;

/**
 * Verifies an ID token. The browser flow always passes its session's nonce; only the ID-token
 * endpoint, whose tokens come from Google to a web client directly, says `{ nonce: 'not issued' }`.
 */
export async function verifyIdToken(
  idToken: string,
  expect: { readonly nonce: string } | { readonly nonce: 'not issued' },
): Promise<GoogleIdentity> {
  const google = googleConfig();
  const { createRemoteJWKSet, errors: joseErrors, jwtVerify } = await loadJose();
  if (jwks?.uri !== google.jwksUri)
    jwks = { uri: google.jwksUri, keys: createRemoteJWKSet(new URL(google.jwksUri)) };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(idToken, jwks.keys, {
      issuer: [...google.issuers],
      audience: google.clientId,
      algorithms: ['RS256'],
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (err) {
    // Keys that cannot be fetched are our trouble, not the user's: logged, then refused alike.
    if (!(err instanceof joseErrors.JOSEError) || err instanceof joseErrors.JWKSTimeout) {
      log.error('ID token not verified', { error: err });
    }
    throw new AuthenticationError(GOOGLE_FAILED);
  }
  if (expect.nonce !== 'not issued' && payload.nonce !== expect.nonce)
    throw new AuthenticationError(GOOGLE_FAILED);
  if (
    payload.email_verified !== true ||
    typeof payload.email !== 'string' ||
    typeof payload.sub !== 'string'
  ) {
    throw new AuthenticationError(
      'Google has not verified this address. Verify it with Google, or sign up with a password.',
    );
  }
  return { sub: payload.sub, email: payload.email };
}

async function clientSecret(google: GoogleConfig): Promise<string> {
  if (!google.clientSecret) throw new ConfigError('Set GOOGLE_CLIENT_SECRET or GOOGLE_CLIENT_SECRET_ARN');
  return secretValue(google.clientSecret);
}

/** Trades an authorization code (and the PKCE verifier) for an ID token at the token endpoint. */
export async function exchangeCode(code: string, verifier: string): Promise<string> {
  const google = googleConfig();
  // The ID token it brings is verified next.
  loadJose().catch(() => {});
  let res: Response;
  try {
    res = await fetch(google.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: googleRedirectUri(),
        client_id: google.clientId,
        client_secret: await clientSecret(google),
      }),
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    });
  } catch (error) {
    log.error('token endpoint unreachable', { error });
    throw new UpstreamError('Google could not be reached. Try again.');
  }
  const body = (await res.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
  // A used, expired or foreign code: invalid_grant. The user starts again.
  if (!res.ok || typeof body.id_token !== 'string') {
    log.warn('code exchange refused', { status: res.status, error: String(body.error ?? '') });
    throw new AuthenticationError(GOOGLE_FAILED);
  }
  return body.id_token;
}
