// Profiles: the account item (USER#<id>), the claim that keeps an address to one account
// (EMAIL#<address>), reading both, and the guard a key-minting transaction puts on the profile.
// Items become accounts field by field here (accountOf): nothing else reads a profile item.
import { type Account, isAccountStatus, STATUS } from '#domain/account.ts';
import type { StoredPaymentMethod } from '#domain/cards.ts';
import { EmailTakenError } from '#domain/errors.ts';
import type { LifecycleEvent, LifecycleFields } from '#domain/lifecycle.ts';
import { isTier, type Tier } from '#domain/tiers.ts';
import { type TransactItem, tableName, transactIf, transactOutcome, updateIf } from './client.ts';
import { getItem } from './document.ts';
import { keys, unconfirmedIndexKey } from './keys.ts';
import { outboxPut } from './outbox.ts';
import { type NewToken, tokenPut } from './tokens.ts';

export interface NewUser {
  readonly userId: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly confirmToken: NewToken;
}

/** A new profile item: UNCONFIRMED (in the cleanup's index) or ACTIVE (confirmed already). */
export function profileItem(user: {
  readonly userId: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly createdAt: string;
  readonly confirmTokenHash?: string;
  readonly confirmedAt?: string;
  readonly tier?: Tier;
  readonly creditCents?: number;
  /** A STANDARD signup's Stripe customer and card, made before the account. */
  readonly billing?: {
    readonly customerId: string;
    readonly paymentMethod: StoredPaymentMethod;
  };
}): Account & Record<string, unknown> {
  const confirmed = user.confirmedAt !== undefined;
  return {
    ...keys.user(user.userId),
    ...(confirmed ? {} : unconfirmedIndexKey(user.userId, user.createdAt)),
    type: 'user',
    userId: user.userId,
    email: user.email,
    status: confirmed ? STATUS.active : STATUS.unconfirmed,
    passwordHash: user.passwordHash,
    tier: user.tier ?? 'FREE',
    creditCents: user.creditCents ?? 0,
    mfaEnabled: false,
    pendingEmail: null,
    createdAt: user.createdAt,
    ...(confirmed ? { emailConfirmedAt: user.confirmedAt } : { confirmTokenHash: user.confirmTokenHash }),
    ...(user.billing
      ? { stripeCustomerId: user.billing.customerId, paymentMethod: user.billing.paymentMethod }
      : {}),
    version: 1,
  };
}

/** Gives up a user's claim on an address, only while it is still that user's. */
export const releaseEmailClaim = (email: string, userId: string): TransactItem => ({
  Delete: {
    TableName: tableName(),
    Key: keys.email(email),
    ConditionExpression: 'userId = :userId',
    ExpressionAttributeValues: { ':userId': userId },
  },
});

/** Claims an address for a user; in a transaction, its condition is the uniqueness guard. */
export const emailClaimPut = (email: string, userId: string): TransactItem => ({
  Put: {
    TableName: tableName(),
    Item: { ...keys.email(email), type: 'email', userId },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * Creates an UNCONFIRMED account with its first confirmation link (and `alsoWrite`, e.g. its
 * audit event); EmailTakenError if the address is taken.
 */
export async function createUnconfirmedUser(user: NewUser, alsoWrite: TransactItem[] = []): Promise<void> {
  const profile = profileItem({ ...user, confirmTokenHash: user.confirmToken.hash });
  await transactOutcome(
    [
      emailClaimPut(user.email, user.userId),
      { Put: { TableName: tableName(), Item: profile, ConditionExpression: 'attribute_not_exists(pk)' } },
      tokenPut(user.confirmToken, user.userId),
      ...alsoWrite,
    ],
    undefined,
    (failedAt) => {
      if (failedAt(0)) throw new EmailTakenError();
      return undefined;
    },
  );
}

export async function getUser(userId: string): Promise<Account | undefined> {
  const { Item } = await getItem({ TableName: tableName(), Key: keys.user(userId), ConsistentRead: true });
  return Item ? accountOf(Item) : undefined;
}

// A user id no account has: an unknown address still costs the second read, so that login and
// resend take as long for unknown addresses as for known ones.
const NO_USER = 'no-such-user';

/** The id of the account that holds the address, from its claim (one consistent read). */
export async function emailOwner(normalizedEmail: string): Promise<string | undefined> {
  const { Item } = await getItem({
    TableName: tableName(),
    Key: keys.email(normalizedEmail),
    ConsistentRead: true,
  });
  return Item ? String(Item.userId) : undefined;
}

/** The account of an address's owner (emailOwner); no owner still costs the read. */
export const ownerAccount = (owner: string | undefined): Promise<Account | undefined> =>
  getUser(owner ?? NO_USER);

export const getUserByEmail = async (normalizedEmail: string): Promise<Account | undefined> =>
  ownerAccount(await emailOwner(normalizedEmail));

/**
 * One conditional change of the profile (its version bumped) that the platform hears of: the update,
 * the event and `alsoWrite` (its audit item) in one transaction. False when `condition` fails
 * (nothing written). `#status` in the expressions names the status attribute.
 */
export function changeProfile<E extends LifecycleEvent>(
  userId: string,
  change: {
    readonly condition: string;
    /** Assignments (`a = :a, b = :b`) and attributes to remove (`c, d`). */
    readonly set?: string;
    readonly remove?: string;
    readonly values?: Record<string, unknown>;
  },
  event: { readonly name: E; readonly fields: LifecycleFields[E] },
  now: number,
  alsoWrite: TransactItem[] = [],
): Promise<boolean> {
  const { condition, set, remove, values = {} } = change;
  const update = `SET version = version + :one${set ? `, ${set}` : ''}${remove ? ` REMOVE ${remove}` : ''}`;
  const named = `${condition} ${update}`.includes('#status');
  return transactIf([
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(userId),
        ConditionExpression: condition,
        UpdateExpression: update,
        ...(named ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: { ...values, ':one': 1 },
      },
    },
    outboxPut(userId, event.name, event.fields, now),
    ...alsoWrite,
  ]);
}

/** Stores a rehashed password, only if the hash it replaces is still the current one. */
export const replacePasswordHash = (userId: string, oldHash: string, newHash: string): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.user(userId),
    ConditionExpression: 'passwordHash = :old',
    UpdateExpression: 'SET passwordHash = :new, version = version + :one',
    ExpressionAttributeValues: { ':old': oldHash, ':new': newHash, ':one': 1 },
  });

/**
 * A guard for the transaction that hands out a key: the account's MFA setting is still the one the
 * login checked (a key minted as MFA goes on never skips it), it is still ACTIVE, and `also` holds (e.g. the address a
 * Google link was proven for). The profile can appear once per transaction: put every check here.
 */
export function profileCheck(
  user: Pick<Account, 'userId' | 'mfaEnabled'>,
  also?: { readonly email: string },
): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.user(user.userId),
      // ACTIVE: no key is minted for an account that a deletion request has just marked.
      // Not suspended: a suspension landing during a sign-in leaves it without a key.
      ConditionExpression: also
        ? 'mfaEnabled = :mfa AND #status = :active AND attribute_not_exists(suspendedAt) AND email = :email'
        : 'mfaEnabled = :mfa AND #status = :active AND attribute_not_exists(suspendedAt)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':mfa': user.mfaEnabled,
        ':active': STATUS.active,
        ...(also ? { ':email': also.email } : {}),
      },
    },
  };
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const whole = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const textSet = (v: unknown): ReadonlySet<string> | undefined =>
  v instanceof Set ? new Set([...v].map(String)) : undefined;

function required<T>(value: T | undefined, field: string, pk: unknown): T {
  if (value === undefined) throw new Error(`profile ${String(pk)} has no valid ${field}`);
  return value;
}

function cardOf(v: unknown): StoredPaymentMethod | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const c = v as Record<string, unknown>;
  const [id, brand, last4, expMonth, expYear] = [
    text(c.id),
    text(c.brand),
    text(c.last4),
    whole(c.expMonth),
    whole(c.expYear),
  ];
  if (
    id === undefined ||
    brand === undefined ||
    last4 === undefined ||
    expMonth === undefined ||
    expYear === undefined
  )
    return undefined;
  return { id, brand, last4, expMonth, expYear };
}

function failureOf(v: unknown): Account['deletionFailure'] {
  if (typeof v !== 'object' || v === null) return undefined;
  const f = v as Record<string, unknown>;
  return { error: String(f.error ?? ''), cause: String(f.cause ?? ''), at: String(f.at ?? '') };
}

/** A profile item as the account it stores; a corrupt one (no status, no hash, ...) is an error. */
export function accountOf(item: Record<string, unknown>): Account {
  const status = isAccountStatus(item.status) ? item.status : undefined;
  const tier = isTier(item.tier) ? item.tier : undefined;
  return {
    userId: required(text(item.userId), 'userId', item.pk),
    email: required(text(item.email), 'email', item.pk),
    status: required(status, 'status', item.pk),
    passwordHash: required(text(item.passwordHash), 'passwordHash', item.pk),
    tier: required(tier, 'tier', item.pk),
    creditCents: whole(item.creditCents) ?? 0,
    mfaEnabled: item.mfaEnabled === true,
    mfaSecret: text(item.mfaSecret),
    mfaPendingSecret: text(item.mfaPendingSecret),
    sshKeyCount: whole(item.sshKeyCount),
    mfaPendingKeyId: text(item.mfaPendingKeyId),
    mfaPendingAt: whole(item.mfaPendingAt),
    mfaLastStep: whole(item.mfaLastStep),
    mfaRecoveryCodes: textSet(item.mfaRecoveryCodes),
    mfaEnabledAt: text(item.mfaEnabledAt),
    stripeCustomerId: text(item.stripeCustomerId),
    paymentMethod: cardOf(item.paymentMethod),
    failedInvoices: textSet(item.failedInvoices),
    pendingEmail: text(item.pendingEmail) ?? null,
    createdAt: required(text(item.createdAt), 'createdAt', item.pk),
    emailConfirmedAt: text(item.emailConfirmedAt),
    confirmTokenHash: text(item.confirmTokenHash),
    resetTokenHash: text(item.resetTokenHash),
    emailChangeTokenHash: text(item.emailChangeTokenHash),
    emailRevokeTokenHash: text(item.emailRevokeTokenHash),
    emailFirstRevokeTokenHash: text(item.emailFirstRevokeTokenHash),
    previousEmail: text(item.previousEmail),
    suspendedAt: text(item.suspendedAt),
    suspensionReason: text(item.suspensionReason),
    deletionExecution: text(item.deletionExecution),
    deletionRequestedAt: text(item.deletionRequestedAt),
    deletionStartedAt: text(item.deletionStartedAt),
    goodbyeSentAt: text(item.goodbyeSentAt),
    deletionFailure: failureOf(item.deletionFailure),
    version: required(whole(item.version), 'version', item.pk),
  };
}
