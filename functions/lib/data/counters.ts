// Throttling counters, incremented with an atomic ADD so parallel requests never lose a hit; TTL
// removes them. Windowed counts (one item per scope, subject and window) for per-IP ceilings;
// attempt counts (one item per key, expiring after a quiet spell) for logins and re-authentication;
// markers (a source trusted by an address) that expire on their own.
import { isConditionFailed, tableName } from './client.ts';
import { deleteItem, getItem, putItem, queryItems, updateItem } from './document.ts';
import { type Key, keys } from './keys.ts';

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
  const { Attributes } = await updateItem({
    TableName: tableName(),
    Key: key,
    UpdateExpression: 'ADD #count :one SET lastAt = :now, expiresAt = :expires, #type = :type',
    ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
    ExpressionAttributeValues: { ':one': 1, ':now': now, ':expires': end + 60, ':type': 'counter' },
    ReturnValues: 'UPDATED_NEW',
  });
  return { count: Number(Attributes?.count ?? 1), lastAt: now, windowEnd: end };
}

/**
 * Counts an attempt in the item at `key` (one per scope and subject: an address, an address and
 * source, a key), which lives `quietSeconds` past the latest attempt, and returns the state
 * *before* it. Parallel attempts each see a different count, so a burst cannot slip through on one
 * stale read.
 */
export async function countAttempt(key: Key, now: number, quietSeconds: number): Promise<AttemptsBefore> {
  const { Attributes } = await updateItem({
    TableName: tableName(),
    Key: key,
    // `since`: when this run of attempts began; one that starts after a quiet spell is new.
    UpdateExpression:
      'ADD #count :one SET lastAt = :now, expiresAt = :expires, #type = :type, since = if_not_exists(since, :now)',
    ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
    ExpressionAttributeValues: {
      ':one': 1,
      ':now': now,
      ':expires': now + quietSeconds,
      ':type': 'counter',
    },
    ReturnValues: 'ALL_OLD',
  });
  return {
    count: Number(Attributes?.count ?? 0),
    lastAt: Number(Attributes?.lastAt ?? 0),
    // Counted before `since` existed: as old as can be.
    since: Attributes === undefined ? now : Number(Attributes.since ?? 0),
  };
}

/** An attempt counter's state before an attempt countAttempt counted. */
export interface AttemptsBefore {
  readonly count: number;
  readonly lastAt: number;
  /** When the counter's run of attempts began (this attempt's time for a new one). */
  readonly since: number;
}

/**
 * Counts an attempt at `key` unless its count has reached `free` and its wait (`openAt`, moved
 * `waitSeconds` on by every counted attempt) has not ended: a refused attempt writes nothing, so
 * it neither adds up nor prolongs the wait. One conditional write, so a burst is judged in order.
 */
export async function countAttemptUnlessWaiting(
  key: Key,
  now: number,
  limits: { readonly free: number; readonly waitSeconds: number; readonly quietSeconds: number },
): Promise<CountedAttempt | { counted: false; openAt: number }> {
  try {
    const { Attributes } = await updateItem({
      TableName: tableName(),
      Key: key,
      ConditionExpression:
        'attribute_not_exists(#count) OR #count < :free OR attribute_not_exists(openAt) OR openAt <= :now',
      UpdateExpression:
        'ADD #count :one SET lastAt = :now, openAt = :open, expiresAt = :expires, #type = :type',
      ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':free': limits.free,
        ':now': now,
        ':open': now + limits.waitSeconds,
        ':expires': now + limits.quietSeconds,
        ':type': 'counter',
      },
      ReturnValues: 'ALL_OLD',
      // A refusal's Retry-After comes with the refusal: no second read.
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    return {
      counted: true,
      count: Number(Attributes?.count ?? 0),
      openAt: now + limits.waitSeconds,
      before: Attributes && {
        openAt: Number(Attributes.openAt ?? 0),
        expiresAt: Number(Attributes.expiresAt),
      },
    };
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
    // The exception carries the old item in wire format ({ N: "..." }), as mail-rate.ts reads it.
    const held = (err as { Item?: { openAt?: { N?: string } } }).Item?.openAt?.N;
    return { counted: false, openAt: held === undefined ? now + limits.waitSeconds : Number(held) };
  }
}

/** An attempt countAttemptUnlessWaiting counted: the wait it set, and the item's before it. */
export interface CountedAttempt {
  readonly counted: true;
  readonly count: number;
  readonly openAt: number;
  readonly before?: { readonly openAt: number; readonly expiresAt: number };
}

/**
 * Takes back an attempt countAttemptUnlessWaiting counted (it checked no password after all): its
 * count, and the wait and expiry it moved on, unless a later attempt has moved them since.
 */
export async function uncountAttempt(key: Key, attempt: CountedAttempt): Promise<void> {
  if (!attempt.before) return forgiveAttempt(key);
  try {
    await updateItem({
      TableName: tableName(),
      Key: key,
      ConditionExpression: '#count > :zero AND openAt = :ours',
      UpdateExpression: 'ADD #count :minusOne SET openAt = :openAt, expiresAt = :expiresAt',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: {
        ':zero': 0,
        ':minusOne': -1,
        ':ours': attempt.openAt,
        ':openAt': attempt.before.openAt,
        ':expiresAt': attempt.before.expiresAt,
      },
    });
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
    await forgiveAttempt(key);
  }
}

/** The attempts counted so far (0 when none or reset). */
export async function attemptCount(key: Key): Promise<number> {
  const { Item } = await getItem({ TableName: tableName(), Key: key, ConsistentRead: true });
  return Number(Item?.count ?? 0);
}

/** Forgets the attempts (a success). */
export async function resetAttempts(key: Key): Promise<void> {
  await deleteItem({ TableName: tableName(), Key: key });
}

/** Takes one attempt back (never below zero): one that turned out not to be a failure. */
export async function forgiveAttempt(key: Key): Promise<void> {
  try {
    await updateItem({
      TableName: tableName(),
      Key: key,
      ConditionExpression: '#count > :zero',
      UpdateExpression: 'ADD #count :minusOne',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':zero': 0, ':minusOne': -1 },
    });
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
}

/**
 * A baseline a marker can carry for the attempt counter beside it: the count that a success left
 * there (every attempt up to that success is no failure), valid while the counter's run of
 * attempts is the one that began at `since`. Writing it costs what deleting the counter would.
 */
export interface CountBaseline {
  readonly count: number;
  readonly since: number;
}

/**
 * The marker at `key` as stored (consistent: its baseline must be the latest): the account that
 * trusts it, if any still does, when, and its baseline; undefined when there is none or it expired.
 */
export async function markerAt(
  key: Key,
  now: number,
): Promise<{ owner?: string; markedAt: number; baseline?: CountBaseline } | undefined> {
  const { Item } = await getItem({ TableName: tableName(), Key: key, ConsistentRead: true });
  if (!Item || Number(Item.expiresAt) <= now) return undefined;
  return {
    owner: typeof Item.owner === 'string' ? Item.owner : undefined,
    markedAt: Number(Item.markedAt),
    baseline:
      typeof Item.baseCount === 'number' && typeof Item.baseSince === 'number'
        ? { count: Item.baseCount, since: Item.baseSince }
        : undefined,
  };
}

/**
 * The marker at `key` (a source an account trusts): when it was last renewed and by whom, or
 * undefined when there is none, nobody trusts it any more, or it expired.
 */
export async function markOf(
  key: Key,
  now: number,
): Promise<{ markedAt: number; owner: string } | undefined> {
  const marker = await markerAt(key, now);
  return marker?.owner === undefined ? undefined : { markedAt: marker.markedAt, owner: marker.owner };
}

/** Puts (or renews) the marker at `key`, `owner`'s (a user id), for `seconds`, with `baseline`. */
export async function mark(
  key: Key,
  owner: string,
  now: number,
  seconds: number,
  baseline?: CountBaseline,
): Promise<void> {
  await putItem({
    TableName: tableName(),
    Item: {
      ...key,
      type: 'marker',
      owner,
      markedAt: now,
      expiresAt: now + seconds,
      ...(baseline ? { baseCount: baseline.count, baseSince: baseline.since } : {}),
    },
  });
}

/**
 * Nobody trusts the marker at `key` any more; its baseline stays, so that the attempts it
 * forgave stay forgiven.
 */
export async function distrust(key: Key): Promise<void> {
  await updateItem({
    TableName: tableName(),
    Key: key,
    ConditionExpression: 'attribute_exists(pk)',
    UpdateExpression: 'REMOVE #owner',
    ExpressionAttributeNames: { '#owner': 'owner' },
  }).catch((err: unknown) => {
    if (!isConditionFailed(err)) throw err;
  });
}

/** The live markers under `pk` whose sort key starts with `prefix` and whose owner is `owner`. */
export async function marksIn(
  pk: string,
  prefix: string,
  owner: string,
  now: number,
): Promise<{ sk: string; markedAt: number; expiresAt: number }[]> {
  const found: { sk: string; markedAt: number; expiresAt: number }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await queryItems({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#owner = :owner AND expiresAt > :now',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix, ':owner': owner, ':now': now },
      ExclusiveStartKey: start,
    });
    for (const item of page.Items ?? [])
      found.push({ sk: String(item.sk), markedAt: Number(item.markedAt), expiresAt: Number(item.expiresAt) });
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}
