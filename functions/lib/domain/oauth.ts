// OpenID Connect authorization code flow with PKCE (RFC 7636, S256), as the server runs it for a
// CLI that cannot take a redirect: the server holds state, nonce and verifier; the user's browser
// only ever carries the state and the code.
import { createHash, randomBytes } from 'node:crypto';
import { digest, newSecret } from './tokens.ts';

export const OAUTH_SESSION_SECONDS = 600;
/**
 * How long after the terminal asked one button may stand for its code: a client that opens the
 * browser itself gets there in seconds (the Gigalixir CLI gives up polling after about two minutes).
 */
export const ONE_BUTTON_SECONDS = 180;
export const GOOGLE_SCOPES = 'openid email';

export interface PkcePair {
  /** Kept server-side; sent with the code exchange. */
  readonly verifier: string;
  /** Sent in the authorization URL. */
  readonly challenge: string;
}

export const pkceChallenge = (verifier: string): string =>
  createHash('sha256').update(verifier).digest('base64url');

export function newPkce(): PkcePair {
  const verifier = newSecret();
  return { verifier, challenge: pkceChallenge(verifier) };
}

export function authorizationUrl(
  endpoint: string,
  p: { clientId: string; redirectUri: string; state: string; nonce: string; challenge: string },
): string {
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    scope: GOOGLE_SCOPES,
    state: p.state,
    nonce: p.nonce,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    // Let the user pick the account each time: a shared browser must not sign in the wrong person.
    prompt: 'select_account',
  })) {
    url.searchParams.set(name, value);
  }
  return url.toString();
}

/**
 * The `state` parameter: the session's digest (where to find it) and a secret of its own (proof
 * that the answer belongs to that session). The session id itself, which collects the key, never
 * travels through the browser.
 */
export const stateParam = (sessionHash: string, stateSecret: string): string =>
  `${sessionHash}.${stateSecret}`;

export function parseState(state: string): { sessionHash: string; stateSecret: string } | undefined {
  const match = /^([0-9a-f]{64})\.([A-Za-z0-9_-]{43})$/.exec(state);
  return match ? { sessionHash: match[1] as string, stateSecret: match[2] as string } : undefined;
}

// The code the terminal shows and the browser must be given back (as in OAuth's device flow).
// Without it, whoever starts a sign-in could send the URL to someone else and collect *their*
// key by polling. Consonants only: no words, nothing to misread.
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const MAX_WRONG_USER_CODES = 5;

/** `XXXX-XXXX`, 34 bits: enough with five tries per session. */
export function newUserCode(): string {
  const chars = Array.from(randomBytesForCode(8), (b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

// Rejection sampling keeps every letter equally likely (256 is not a multiple of 20).
function randomBytesForCode(n: number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    for (const b of randomBytes(n)) if (b < 240 && out.length < n) out.push(b);
  }
  return out;
}

/** Case, spaces and dashes do not matter. */
export const normalizeUserCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

/** What is stored of a user code: bound to its session. */
export const userCodeDigest = (sessionHash: string, code: string): string =>
  digest(`${sessionHash}:${normalizeUserCode(code)}`);
