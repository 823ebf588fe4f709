// Google sign-in sessions (OAUTH#<digest of the session id>): made when a client starts the flow,
// verified by the callback once the ID token checks out, completed when the browser gives back
// the code the terminal shows (a console sign-in, whose browser holds the session id itself, is
// complete at the callback), and ended by the request that hands out the result, each step one
// conditional write. TTL removes abandoned ones; reads check the expiry too.
import { MAX_WRONG_USER_CODES } from '#domain/oauth.ts';
import { isConditionFailed, type TransactItem, tableName, updateIf } from './client.ts';
import { deleteItem, getItem, putItem, updateItem } from './document.ts';
import { keys } from './keys.ts';

/** A terminal's login or signup (polled), or a console sign-in (the browser is the client). */
export type OAuthPurpose = 'login' | 'signup' | 'console';

export interface OAuthSession {
  readonly sessionHash: string;
  readonly purpose: OAuthPurpose;
  /** pending (at Google) → verified (ID token checked, awaiting the terminal's code) → complete. */
  readonly status: 'pending' | 'verified' | 'complete';
  /** Digest of the state secret the callback must bring back. */
  readonly stateHash?: string;
  readonly nonce?: string;
  readonly verifier?: string;
  /** Digest of the code the terminal shows, which the browser must give back. */
  readonly userCodeHash?: string;
  readonly wrongCodes?: number;
  /** The staged signup this Google signup belongs to. */
  readonly signupUuid?: string;
  /** The source (IP, or IPv6 /64) the client started from: a browser there may skip the code. */
  readonly startSource?: string;
  /** Epoch seconds of the start, for the page to say when the terminal asked. */
  readonly startedAt?: number;
  /** Digest of the secret the callback gave the browser in a cookie; only it may give the code. */
  readonly browserHash?: string;
  /** Set by the callback from the verified ID token. */
  readonly sub?: string;
  readonly email?: string;
  /** How the browser proved the terminal's: its code, or (the one button) its network. */
  readonly terminalProof?: 'code' | 'network';
  /** A login to an account with MFA on whose code the browser gave: the poll needs none. */
  readonly mfaPassed?: BrowserSecondFactor;
  readonly expiresAt: number;
}

/** The second factor the browser gave for a login, and the MFA it was checked against. */
export interface BrowserSecondFactor {
  readonly userId: string;
  /** When that account's MFA was turned on: a factor passed for an earlier MFA proves nothing. */
  readonly mfaEnabledAt?: string;
  readonly factor: 'totp' | 'recovery';
  /** When it was given: the recent-factor window runs from then, not from the poll. */
  readonly at: number;
}

export async function createOAuthSession(session: OAuthSession): Promise<void> {
  await putItem({
    TableName: tableName(),
    Item: { ...keys.oauth(session.sessionHash), type: 'oauth', ...session },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

/** The live session, or undefined when unknown, ended or expired. */
export async function getOAuthSession(sessionHash: string, now: number): Promise<OAuthSession | undefined> {
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.oauth(sessionHash),
    ConsistentRead: true,
  });
  const session = Item as OAuthSession | undefined;
  return session && session.expiresAt > now ? session : undefined;
}

/**
 * Records the verified identity on a pending session, only with its state and before it expires,
 * with the digest of the secret the browser came back with; the flow's own secrets go. The session
 * is then `verified` (awaiting the terminal's code) or, for a console sign-in, `complete`. False
 * when it was used already (a reused state) or expired.
 */
export const verifyOAuthSession = (
  sessionHash: string,
  stateHash: string,
  identity: { sub: string; email: string },
  browserHash: string,
  now: number,
  then: 'verified' | 'complete' = 'verified',
): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.oauth(sessionHash),
    ConditionExpression: '#status = :pending AND stateHash = :state AND expiresAt > :now',
    UpdateExpression:
      'SET #status = :verified, #sub = :sub, email = :email, browserHash = :browser REMOVE nonce, verifier',
    ExpressionAttributeNames: { '#status': 'status', '#sub': 'sub' },
    ExpressionAttributeValues: {
      ':pending': 'pending',
      ':state': stateHash,
      ':now': now,
      ':verified': then,
      ':sub': identity.sub,
      ':email': identity.email,
      ':browser': browserHash,
    },
  });

/** What proves the person at Google is the one at the terminal: its code, or its network. */
export type TerminalProof = { readonly userCodeHash: string } | { readonly startSource: string };

/**
 * The browser gave back the terminal's code (or is on the network the terminal started from): the
 * session is complete, for its poll to collect. False on a wrong code or network, too many wrong
 * codes, another state or browser, or an expired session.
 */
export const confirmOAuthSession = (
  sessionHash: string,
  stateHash: string,
  proof: TerminalProof,
  browserHash: string,
  now: number,
): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.oauth(sessionHash),
    ConditionExpression: `#status = :verified AND stateHash = :state AND ${'userCodeHash' in proof ? 'userCodeHash' : 'startSource'} = :proof AND browserHash = :browser AND expiresAt > :now AND wrongCodes < :max`,
    // The state and browser stay: the same page may go on to give the second factor.
    UpdateExpression: 'SET #status = :complete, terminalProof = :kind REMOVE userCodeHash',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':verified': 'verified',
      ':state': stateHash,
      ':proof': 'userCodeHash' in proof ? proof.userCodeHash : proof.startSource,
      ':browser': browserHash,
      ':now': now,
      ':max': MAX_WRONG_USER_CODES,
      ':complete': 'complete',
      ':kind': 'userCodeHash' in proof ? 'code' : 'network',
    },
  });

/**
 * Records the second factor the browser gave for a complete login session, from the browser and
 * page that completed it, once. False when the session is gone (the poll took it, or it expired),
 * is another browser's or state's, or has one already.
 */
export const passOAuthSecondFactor = (
  sessionHash: string,
  stateHash: string,
  browserHash: string,
  passed: BrowserSecondFactor,
  now: number,
): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.oauth(sessionHash),
    ConditionExpression:
      '#status = :complete AND stateHash = :state AND browserHash = :browser AND expiresAt > :now AND attribute_not_exists(mfaPassed)',
    UpdateExpression: 'SET mfaPassed = :passed',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':complete': 'complete',
      ':state': stateHash,
      ':browser': browserHash,
      ':now': now,
      ':passed': passed,
    },
  });

/** Counts a wrong code; the session ends at the fifth. Returns the count. */
export async function countWrongUserCode(sessionHash: string): Promise<number> {
  const { Attributes } = await updateItem({
    TableName: tableName(),
    Key: keys.oauth(sessionHash),
    ConditionExpression: 'attribute_exists(pk)',
    UpdateExpression: 'ADD wrongCodes :one',
    ExpressionAttributeValues: { ':one': 1 },
    ReturnValues: 'UPDATED_NEW',
  }).catch((err: unknown) => {
    if (isConditionFailed(err)) return { Attributes: { wrongCodes: MAX_WRONG_USER_CODES } };
    throw err;
  });
  const count = Number(Attributes?.wrongCodes ?? MAX_WRONG_USER_CODES);
  if (count >= MAX_WRONG_USER_CODES) {
    await deleteItem({ TableName: tableName(), Key: keys.oauth(sessionHash) });
  }
  return count;
}

/** Ends a completed session, in the transaction that hands out its result: only one poll wins. */
export const endOAuthSession = (sessionHash: string): TransactItem => ({
  Delete: {
    TableName: tableName(),
    Key: keys.oauth(sessionHash),
    ConditionExpression: '#status = :complete',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':complete': 'complete' },
  },
});
