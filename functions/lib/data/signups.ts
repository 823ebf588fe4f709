// Staged signup sessions (SIGNUP#<uuid>): each step moves the session on with a conditional
// update, so steps cannot be skipped, replayed or raced; finalize creates the account, its first
// key, spends the promo and ends the session in one transaction.
import type { StoredPaymentMethod } from '#domain/cards.ts';
import { MAX_WRONG_CODES, SIGNUP_SESSION_SECONDS, type SignupStep } from '#domain/signup.ts';
import type { Tier } from '#domain/tiers.ts';
import { apiKeyPuts, type NewApiKeyRecord } from './api-keys.ts';
import { isConditionFailed, type TransactItem, tableName, transactIf, transactOutcome } from './client.ts';
import { deleteItem, getItem, putItem, updateItem } from './document.ts';
import { GOOGLE, identityPuts } from './identities.ts';
import { keys } from './keys.ts';
import { outboxPut } from './outbox.ts';
import { emailClaimPut, profileItem } from './profiles.ts';
import { spendPromoUse } from './promos.ts';

export interface SignupSession {
  readonly uuid: string;
  readonly email: string;
  readonly step: SignupStep;
  /** Absent once the code is verified; for a taken address, a digest no code matches. */
  readonly codeHash?: string;
  readonly codeExpiresAt: number;
  readonly wrongCodes: number;
  readonly passwordHash?: string;
  /** A Google signup: the subject of the identity that proved the address (no code, no password). */
  readonly googleSub?: string;
  /** The account id, reserved at the payment step: Stripe's idempotency key is derived from it. */
  readonly userId?: string;
  /** A STANDARD signup's Stripe customer and default card, made at the payment step. */
  readonly billing?: { readonly customerId: string; readonly paymentMethod: StoredPaymentMethod };
  readonly promo?: { readonly code: string; readonly creditCents: number };
  readonly createdAt: string;
  /** TTL, and checked on every read (TTL deletes late). */
  readonly expiresAt: number;
}

export async function createSignup(session: SignupSession): Promise<void> {
  await putItem({
    TableName: tableName(),
    Item: { ...keys.signup(session.uuid), type: 'signup', ...session },
  });
}

/** The live session, or undefined when unknown, finished or expired. */
export async function getSignup(uuid: string, now: number): Promise<SignupSession | undefined> {
  const { Item } = await getItem({ TableName: tableName(), Key: keys.signup(uuid), ConsistentRead: true });
  const session = Item as SignupSession | undefined;
  return session && session.expiresAt > now ? session : undefined;
}

/** Conditional step change: true when the session was still at `from` (and `extra` held). */
async function advance(
  uuid: string,
  from: SignupStep,
  update: {
    set?: Record<string, unknown>;
    remove?: string[];
    condition?: string;
    values?: Record<string, unknown>;
  },
): Promise<boolean> {
  const set = Object.keys(update.set ?? {});
  const expression = [
    set.length ? `SET ${set.map((k) => `#${k} = :${k}`).join(', ')}` : '',
    update.remove?.length ? `REMOVE ${update.remove.join(', ')}` : '',
  ].join(' ');
  try {
    await updateItem({
      TableName: tableName(),
      Key: keys.signup(uuid),
      ConditionExpression: ['#step = :from', update.condition].filter(Boolean).join(' AND '),
      UpdateExpression: expression,
      ExpressionAttributeNames: { '#step': 'step', ...Object.fromEntries(set.map((k) => [`#${k}`, k])) },
      ExpressionAttributeValues: {
        ':from': from,
        ...Object.fromEntries(set.map((k) => [`:${k}`, update.set?.[k]])),
        ...update.values,
      },
    });
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}

/** The right code: on to the password, while the code is live and fewer than 5 were wrong. */
export const acceptCode = (uuid: string, codeHash: string, now: number): Promise<boolean> =>
  advance(uuid, 'code', {
    set: { step: 'password' },
    remove: ['codeHash'],
    condition: 'codeHash = :hash AND codeExpiresAt > :now AND wrongCodes < :max',
    values: { ':hash': codeHash, ':now': now, ':max': MAX_WRONG_CODES },
  });

/** Counts a wrong code (atomically, so parallel guesses all count); returns the count so far. */
export async function countWrongCode(uuid: string): Promise<number> {
  try {
    const { Attributes } = await updateItem({
      TableName: tableName(),
      Key: keys.signup(uuid),
      ConditionExpression: '#step = :code',
      UpdateExpression: 'ADD wrongCodes :one',
      ExpressionAttributeNames: { '#step': 'step' },
      ExpressionAttributeValues: { ':code': 'code', ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    });
    return Number(Attributes?.wrongCodes ?? MAX_WRONG_CODES);
  } catch (err) {
    if (isConditionFailed(err)) return MAX_WRONG_CODES;
    throw err;
  }
}

export async function deleteSignup(uuid: string): Promise<void> {
  await deleteItem({ TableName: tableName(), Key: keys.signup(uuid) });
}

export const setSignupPassword = (uuid: string, passwordHash: string): Promise<boolean> =>
  advance(uuid, 'password', { set: { step: 'tier', passwordHash } });

export const setSignupPromo = (
  uuid: string,
  promo: { code: string; creditCents: number },
): Promise<boolean> => advance(uuid, 'tier', { set: { promo } });

/**
 * Reserves the account id of a session at the tier step before anything is made at Stripe: the
 * first reservation wins and every retry gets it back, so Stripe's idempotency key (derived from it)
 * finds the same customer. Undefined when the session is gone or past the tier step.
 */
export async function reserveSignupUserId(uuid: string, candidate: string): Promise<string | undefined> {
  try {
    const { Attributes } = await updateItem({
      TableName: tableName(),
      Key: keys.signup(uuid),
      ConditionExpression: '#step = :tier',
      UpdateExpression: 'SET userId = if_not_exists(userId, :candidate)',
      ExpressionAttributeNames: { '#step': 'step' },
      ExpressionAttributeValues: { ':tier': 'tier', ':candidate': candidate },
      ReturnValues: 'UPDATED_NEW',
    });
    return Attributes?.userId === undefined ? undefined : String(Attributes.userId);
  } catch (err) {
    if (isConditionFailed(err)) return undefined;
    throw err;
  }
}

/** The payment step: the reserved account id, and the customer and card made for it at Stripe. */
export const setSignupBilling = (
  uuid: string,
  userId: string,
  billing: { customerId: string; paymentMethod: StoredPaymentMethod },
): Promise<boolean> => advance(uuid, 'tier', { set: { userId, billing } });

export const clearSignupPromo = (uuid: string): Promise<boolean> =>
  advance(uuid, 'tier', { remove: ['promo'] });

/**
 * A Google signup whose identity the callback verified: the session is made at the tier step (the
 * address is proven), in the transaction that ends the poll's OAuth session, so only one poll wins.
 */
export async function startGoogleSignup(
  uuid: string,
  identity: { sub: string; email: string },
  endOAuth: TransactItem,
  now: number,
): Promise<boolean> {
  const session: SignupSession = {
    uuid,
    email: identity.email,
    step: 'tier',
    googleSub: identity.sub,
    codeExpiresAt: 0,
    wrongCodes: 0,
    createdAt: new Date(now * 1000).toISOString(),
    expiresAt: now + SIGNUP_SESSION_SECONDS,
  };
  return transactIf([
    endOAuth,
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.signup(uuid), type: 'signup', ...session },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
}

export type FinalizeResult = 'created' | 'email-taken' | 'identity-taken' | 'session-gone' | 'promo-used-up';

/**
 * Creates the confirmed account, its first API key, spends the promo's use and ends the session,
 * all or nothing, with the platform's account.created event. A promo makes the tier STANDARD
 * with its credit.
 */
export async function finalizeSignup(input: {
  readonly session: SignupSession;
  /** The session's password hash; for a Google signup, a hash of a secret nobody holds. */
  readonly passwordHash: string;
  readonly userId: string;
  /** STANDARD asked for (the session's card makes it possible). */
  readonly standard?: boolean;
  readonly key: NewApiKeyRecord;
  readonly now: number;
  readonly alsoWrite: TransactItem[];
}): Promise<FinalizeResult> {
  const { session, userId } = input;
  const createdAt = new Date(input.now * 1000).toISOString();
  const tier: Tier = session.promo || input.standard ? 'STANDARD' : 'FREE';
  const items: TransactItem[] = [
    emailClaimPut(session.email, userId),
    {
      Delete: {
        TableName: tableName(),
        Key: keys.signup(session.uuid),
        // The session as it was read: its password, or its Google identity.
        ConditionExpression: session.googleSub
          ? '#step = :tier AND googleSub = :sub'
          : '#step = :tier AND passwordHash = :hash',
        ExpressionAttributeNames: { '#step': 'step' },
        ExpressionAttributeValues: session.googleSub
          ? { ':tier': 'tier', ':sub': session.googleSub }
          : { ':tier': 'tier', ':hash': session.passwordHash },
      },
    },
    ...(session.promo ? [spendPromoUse(session.promo.code)] : []),
    {
      Put: {
        TableName: tableName(),
        Item: profileItem({
          userId,
          email: session.email,
          passwordHash: input.passwordHash,
          createdAt,
          confirmedAt: createdAt,
          tier,
          creditCents: session.promo?.creditCents ?? 0,
          billing: session.billing,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...apiKeyPuts(input.key),
    outboxPut(
      userId,
      'account.created',
      { email: session.email, tier, via: session.googleSub ? 'google' : 'code' },
      input.now,
    ),
    ...input.alsoWrite,
    ...(session.billing
      ? [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...keys.stripeCustomer(session.billing.customerId),
                type: 'stripeCustomer',
                userId,
                customerId: session.billing.customerId,
              },
            },
          },
        ]
      : []),
  ];
  const identityAt = items.length;
  if (session.googleSub) {
    items.push(...identityPuts(userId, GOOGLE, { sub: session.googleSub, email: session.email }, createdAt));
  }
  return transactOutcome<FinalizeResult>(items, 'created', (failedAt) => {
    if (failedAt(0)) return 'email-taken';
    if (failedAt(1)) return 'session-gone';
    if (session.promo && failedAt(2)) return 'promo-used-up';
    if (session.googleSub && failedAt(identityAt)) return 'identity-taken';
    return undefined;
  });
}
