// Billing state on the account: the Stripe customer (recorded once, with a lookup from its id for
// webhooks), the default card as shown to the user, and the tier change, each one conditional
// write or transaction.

import { STATUS } from '#domain/account.ts';
import type { StoredPaymentMethod } from '#domain/cards.ts';
import type { Tier } from '#domain/tiers.ts';
import {
  isConditionFailed,
  type TransactItem,
  tableName,
  transactIf,
  transactOutcome,
  updateIf,
} from './client.ts';
import { deleteItem, getItem, putItem } from './document.ts';
import { keys } from './keys.ts';
import { outboxPut } from './outbox.ts';
import { changeProfile, getUser } from './profiles.ts';
import { spendPromoUse } from './promos.ts';

/**
 * Records the account's Stripe customer, only if it has none yet; with the lookup item in the same
 * transaction. False when another request recorded one first (the caller reads it back).
 */
export const recordCustomer = (userId: string, customerId: string): Promise<boolean> =>
  transactIf([
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(userId),
        // ACTIVE: an account being deleted has had its billing cancelled, and must gain none.
        ConditionExpression: '#status = :active AND attribute_not_exists(stripeCustomerId)',
        UpdateExpression: 'SET stripeCustomerId = :id, version = version + :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':id': customerId, ':one': 1, ':active': STATUS.active },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.stripeCustomer(customerId), type: 'stripeCustomer', userId, customerId },
      },
    },
  ]);

/**
 * Shows `pm` as the account's card, while `customerId` is still its customer, with the platform's
 * account.payment_method_changed event (which tells that there is one, nothing of the card).
 */
export const recordPaymentMethod = (
  userId: string,
  customerId: string,
  pm: StoredPaymentMethod,
  now: number,
): Promise<boolean> =>
  transactIf([
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(userId),
        ConditionExpression: 'stripeCustomerId = :customer AND #status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        UpdateExpression: 'SET paymentMethod = :pm, version = version + :one',
        ExpressionAttributeValues: {
          ':customer': customerId,
          ':pm': pm,
          ':one': 1,
          ':active': STATUS.active,
        },
      },
    },
    outboxPut(userId, 'account.payment_method_changed', { hasPaymentMethod: true }, now),
  ]);

export type UpgradeResult =
  | 'upgraded'
  | 'already-standard'
  | 'no-payment-method'
  | 'promo-used-up'
  | 'conflict';

/**
 * FREE → STANDARD, only with a payment method on file; a promo's credit added and its use spent in
 * the same transaction, with the platform's account.tier_changed event.
 */
export async function upgradeToStandard(
  userId: string,
  promo: { code: string; creditCents: number } | undefined,
  now: number,
  alsoWrite: TransactItem[] = [],
): Promise<UpgradeResult> {
  const upgraded = await transactIf([
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(userId),
        // ACTIVE: an account whose deletion began is not put on a paid tier on its way out.
        ConditionExpression: 'tier = :free AND attribute_exists(paymentMethod) AND #status = :active',
        UpdateExpression:
          'SET tier = :standard, creditCents = creditCents + :credit, version = version + :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':active': STATUS.active,
          ':free': 'FREE',
          ':standard': 'STANDARD',
          ':credit': promo?.creditCents ?? 0,
          ':one': 1,
        },
      },
    },
    ...(promo ? [spendPromoUse(promo.code)] : []),
    outboxPut(userId, 'account.tier_changed', { tier: 'STANDARD', previousTier: 'FREE' }, now),
    ...alsoWrite,
  ]);
  if (upgraded) return 'upgraded';
  const account = await getUser(userId);
  if (account?.tier === 'STANDARD') return 'already-standard';
  if (account?.status !== STATUS.active) return 'conflict';
  if (!account?.paymentMethod) return 'no-payment-method';
  return promo ? 'promo-used-up' : 'conflict';
}

/** The account of a Stripe customer (webhooks). */
export async function userIdOfCustomer(customerId: string): Promise<string | undefined> {
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.stripeCustomer(customerId),
    ConsistentRead: true,
  });
  return Item ? String(Item.userId) : undefined;
}

/**
 * The account's card as Stripe has it now (`pm` undefined: none), while `customerId` is still its
 * customer. A change of card (another one, or none where there was one) tells the platform
 * (account.payment_method_changed); Stripe sends several events for one change, and the same card
 * again tells nobody. False when the account no longer has this customer.
 */
export async function syncPaymentMethod(
  userId: string,
  customerId: string,
  pm: StoredPaymentMethod | undefined,
  now: number,
): Promise<boolean> {
  const update = {
    TableName: tableName(),
    Key: keys.user(userId),
    UpdateExpression: pm
      ? 'SET paymentMethod = :pm, version = version + :one'
      : 'SET version = version + :one REMOVE paymentMethod',
    ExpressionAttributeValues: { ':customer': customerId, ':one': 1, ...(pm ? { ':pm': pm } : {}) },
  };
  const changed = await transactOutcome(
    [
      {
        Update: {
          ...update,
          ConditionExpression: pm
            ? 'stripeCustomerId = :customer AND (attribute_not_exists(paymentMethod) OR paymentMethod.id <> :pmId)'
            : 'stripeCustomerId = :customer AND attribute_exists(paymentMethod)',
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ...(pm ? { ':pmId': pm.id } : {}),
          },
        },
      },
      outboxPut(userId, 'account.payment_method_changed', { hasPaymentMethod: pm !== undefined }, now),
    ],
    true,
    // Only the card's condition means "no change"; a conflict that outlasted the retries throws.
    (failedAt) => (failedAt(0) ? false : undefined),
  );
  // The same card (its expiry may have moved), or another customer's account: as before, silently.
  return changed || updateIf({ ...update, ConditionExpression: 'stripeCustomerId = :customer' });
}

/** The customer is gone at Stripe: the account forgets it and its card (the tier stays). */
export const forgetCustomer = (userId: string, customerId: string): Promise<boolean> =>
  transactIf([
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(userId),
        ConditionExpression: 'stripeCustomerId = :customer',
        UpdateExpression: 'SET version = version + :one REMOVE stripeCustomerId, paymentMethod',
        ExpressionAttributeValues: { ':customer': customerId, ':one': 1 },
      },
    },
    { Delete: { TableName: tableName(), Key: keys.stripeCustomer(customerId) } },
  ]);

/**
 * Records whether an invoice stands unpaid after a payment attempt: its id joins or leaves the
 * account's set of failed invoices (so one invoice paid does not hide another still failing, and
 * events of one invoice in any order end as Stripe has it). GET /api/users shows the set non-empty.
 */
export const markInvoice = (
  userId: string,
  customerId: string,
  invoiceId: string,
  failed: boolean,
): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.user(userId),
    ConditionExpression: 'stripeCustomerId = :customer',
    UpdateExpression: failed ? 'ADD failedInvoices :invoice' : 'DELETE failedInvoices :invoice',
    ExpressionAttributeValues: { ':customer': customerId, ':invoice': new Set([invoiceId]) },
  });

export type EventClaim = 'claimed' | 'done' | 'in-progress';

/**
 * Claims a Stripe event for applying: once, unless a claim is older than `staleSeconds` (the
 * applier crashed: Stripe's retry takes over). Kept 4 days, past Stripe's 3 days of retries.
 */
export async function claimStripeEvent(eventId: string, now: number, staleSeconds = 60): Promise<EventClaim> {
  try {
    await putItem({
      TableName: tableName(),
      Item: {
        ...keys.stripeEvent(eventId),
        type: 'stripeEvent',
        status: 'processing',
        claimedAt: now,
        expiresAt: now + 4 * 24 * 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR (#status = :processing AND claimedAt < :stale)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':processing': 'processing', ':stale': now - staleSeconds },
    });
    return 'claimed';
  } catch (err) {
    if (!isConditionFailed(err)) throw err;
  }
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.stripeEvent(eventId),
    ConsistentRead: true,
  });
  return Item?.status === 'done' ? 'done' : 'in-progress';
}

export const finishStripeEvent = (eventId: string): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.stripeEvent(eventId),
    UpdateExpression: 'SET #status = :done',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':done': 'done' },
  });

/** Gives a claim back after a failure, so Stripe's retry applies the event. */
export async function releaseStripeEvent(eventId: string): Promise<void> {
  await deleteItem({ TableName: tableName(), Key: keys.stripeEvent(eventId) });
}

/**
 * An operator's change of tier, either way and with no card needed (npm run account -- set-tier),
 * only while the account is ACTIVE and still on `from`; with the platform's account.tier_changed.
 */
export const setTier = (
  userId: string,
  from: Tier,
  to: Tier,
  now: number,
  alsoWrite: TransactItem[] = [],
): Promise<boolean> =>
  changeProfile(
    userId,
    {
      condition: 'tier = :from AND #status = :active',
      set: 'tier = :to',
      values: { ':from': from, ':to': to, ':active': STATUS.active },
    },
    { name: 'account.tier_changed', fields: { tier: to, previousTier: from } },
    now,
    alsoWrite,
  );

/**
 * An operator's credit (`cents` may be negative, to take back a mistake), only while the account is
 * ACTIVE and its balance is still `previous` (so the platform's account.credit_changed tells both
 * balances truly); false otherwise. The caller keeps the balance from going below zero.
 */
export const changeCredit = (
  userId: string,
  previous: number,
  cents: number,
  now: number,
  alsoWrite: TransactItem[] = [],
): Promise<boolean> =>
  changeProfile(
    userId,
    {
      condition: 'creditCents = :previous AND #status = :active',
      set: 'creditCents = :next',
      values: { ':previous': previous, ':next': previous + cents, ':active': STATUS.active },
    },
    {
      name: 'account.credit_changed',
      fields: { creditCents: previous + cents, previousCreditCents: previous },
    },
    now,
    alsoWrite,
  );
