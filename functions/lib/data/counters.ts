// Throttling counters, incremented with an atomic ADD so parallel requests never lose a hit; TTL
// removes them. Windowed counts (one item per scope, subject and window) for per-IP ceilings;
// attempt counts (one item per scope and subject, expiring after a quiet spell) for login.
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailed, tableName } from './client.ts';
import { keys } from './keys.ts';

export interface Window {
  /** Counter family, e.g. `login-failures`, `ip:signup`. */
  readonly scope: string;
  /** What is counted: a normalized address, a source IP. */
  readonly subject: string;
  readonly windowSeconds: number;
}

export interface Count {
  readonly count: number;
  /** Epoch seconds of the latest hit. */
  readonly lastAt: number;
  /** Epoch seconds when this window closes (and the count starts again). */
  readonly windowEnd: number;
}

const windowOf = (w: Window, now: number) => {
  const start = now - (now % w.windowSeconds);
  return { key: keys.counter(w.scope, w.subject, start), end: start + w.windowSeconds };
};

/** Counts one hit now and returns the window's count including it. */
export async function hit(w: Window, now: number): Promise<Count> {
  const { key, end } = windowOf(w, now);
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'ADD #count :one SET lastAt = :now, expiresAt = :expires, #type = :type',
      ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
      ExpressionAttributeValues: { ':one': 1, ':now': now, ':expires': end + 60, ':type': 'counter' },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return { count: Number(Attributes?.count ?? 1), lastAt: now, windowEnd: end };
}

/**
 * Counts an attempt in a single item per (scope, subject) that lives `quietSeconds` past the latest
 * attempt, and returns the state *before* it. Parallel attempts each see a different count, so a
 * burst cannot slip through on one stale read.
 */
export async function countAttempt(
  scope: string,
  subject: string,
  now: number,
  quietSeconds: number,
): Promise<{ count: number; lastAt: number }> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.attempts(scope, subject),
      UpdateExpression: 'ADD #count :one SET lastAt = :now, expiresAt = :expires, #type = :type',
      ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':now': now,
        ':expires': now + quietSeconds,
        ':type': 'counter',
      },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return { count: Number(Attributes?.count ?? 0), lastAt: Number(Attributes?.lastAt ?? 0) };
}

/** The attempts counted so far (0 when none or reset). */
export async function attemptCount(scope: string, subject: string): Promise<number> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName(), Key: keys.attempts(scope, subject), ConsistentRead: true }),
  );
  return Number(Item?.count ?? 0);
}

/** Forgets the attempts (a successful login). */
export async function resetAttempts(scope: string, subject: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName(), Key: keys.attempts(scope, subject) }));
}

/** Takes one attempt back (never below zero): one that turned out not to be a failure. */
export async function forgiveAttempt(scope: string, subject: string): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.attempts(scope, subject),
        ConditionExpression: '#count > :zero',
        UpdateExpression: 'ADD #count :minusOne',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':zero': 0, ':minusOne': -1 },
      }),
    );
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
}
