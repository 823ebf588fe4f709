// Google sign-in sessions (OAUTH#<digest of the session id>): made when a client starts the flow,
// completed by the callback once the ID token checks out, and ended by the poll that hands out the
// result, each step one conditional write. TTL removes abandoned ones; reads check the expiry too.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, type TransactItem, tableName, updateIf } from './client.ts';
import { keys } from './keys.ts';

export type OAuthPurpose = 'login' | 'signup';

export interface OAuthSession {
  readonly sessionHash: string;
  readonly purpose: OAuthPurpose;
  readonly status: 'pending' | 'complete';
  /** Digest of the state secret the callback must bring back. */
  readonly stateHash?: string;
  readonly nonce?: string;
  readonly verifier?: string;
  /** The staged signup this Google signup belongs to. */
  readonly signupUuid?: string;
  /** Set by the callback from the verified ID token. */
  readonly sub?: string;
  readonly email?: string;
  readonly expiresAt: number;
}

export async function createOAuthSession(session: OAuthSession): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.oauth(session.sessionHash), type: 'oauth', ...session },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** The live session, or undefined when unknown, ended or expired. */
export async function getOAuthSession(sessionHash: string, now: number): Promise<OAuthSession | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.oauth(sessionHash), ConsistentRead: true }),
  );
  const session = Item as OAuthSession | undefined;
  return session && session.expiresAt > now ? session : undefined;
}

/**
 * Records the verified identity on a pending session, only with its state and before it expires;
 * the secrets of the flow go. False when it was completed already (a reused state) or expired.
 */
export const completeOAuthSession = (
  sessionHash: string,
  stateHash: string,
  identity: { sub: string; email: string },
  now: number,
): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.oauth(sessionHash),
    ConditionExpression: '#status = :pending AND stateHash = :state AND expiresAt > :now',
    UpdateExpression:
      'SET #status = :complete, #sub = :sub, email = :email REMOVE stateHash, nonce, verifier',
    ExpressionAttributeNames: { '#status': 'status', '#sub': 'sub' },
    ExpressionAttributeValues: {
      ':pending': 'pending',
      ':state': stateHash,
      ':now': now,
      ':complete': 'complete',
      ':sub': identity.sub,
      ':email': identity.email,
    },
  });

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
