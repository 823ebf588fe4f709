// Throttling counters: one item per (scope, subject, window), incremented with an atomic ADD, so
// parallel requests never lose a hit; TTL removes each window's item after it closes.
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client.ts';
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

/** The window's count so far, without counting. */
export async function peek(w: Window, now: number): Promise<Count> {
  const { key, end } = windowOf(w, now);
  const { Item } = await db.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return { count: Number(Item?.count ?? 0), lastAt: Number(Item?.lastAt ?? 0), windowEnd: end };
}

/** Starts the window's count again (a successful login forgives earlier failures). */
export async function reset(w: Window, now: number): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName(), Key: windowOf(w, now).key }));
}
