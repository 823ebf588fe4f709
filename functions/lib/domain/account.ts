// The account: its fields as every layer sees them, its lifecycle and the rules read off it. The
// data layer maps profile items to this field by field (data/profiles.ts); nothing else casts.
import type { StoredPaymentMethod } from './cards.ts';
import type { Tier } from './tiers.ts';

/**
 * UNCONFIRMED until the address is proven; DELETING from the destroy request until the deletion
 * workflow removes the profile (every key stops working at once); DELETION_FAILED when the
 * workflow gave up (docs/operations.md).
 */
export const STATUS = {
  unconfirmed: 'UNCONFIRMED',
  active: 'ACTIVE',
  deleting: 'DELETING',
  deletionFailed: 'DELETION_FAILED',
} as const;
export type AccountStatus = (typeof STATUS)[keyof typeof STATUS];

const STATUSES: readonly string[] = Object.values(STATUS);
export const isAccountStatus = (value: unknown): value is AccountStatus =>
  typeof value === 'string' && STATUSES.includes(value);

export interface Account {
  readonly userId: string;
  readonly email: string;
  readonly status: AccountStatus;
  readonly passwordHash: string;
  readonly tier: Tier;
  readonly creditCents: number;
  readonly mfaEnabled: boolean;
  /** The active TOTP secret, sealed (services/mfa-secrets.ts); present while mfaEnabled. */
  readonly mfaSecret?: string;
  /** A TOTP secret being set up, sealed; becomes mfaSecret when a code from it is verified. */
  readonly mfaPendingSecret?: string;
  /** How many SSH keys the account holds (kept in the transaction that adds or removes one). */
  readonly sshKeyCount?: number;
  /** The key that started the pending setup, and when: a rerun with it shows the same secret. */
  readonly mfaPendingKeyId?: string;
  readonly mfaPendingAt?: number;
  /** The last TOTP time step used: a code of it or any earlier step is refused (used once). */
  readonly mfaLastStep?: number;
  /** Digests of the unused recovery codes (a string set: each use deletes one atomically). */
  readonly mfaRecoveryCodes?: ReadonlySet<string>;
  readonly mfaEnabledAt?: string;
  /** The Stripe customer, made once (services/payment-methods.ts), and the default card. */
  readonly stripeCustomerId?: string;
  readonly paymentMethod?: StoredPaymentMethod;
  /** Invoices unpaid after a payment attempt, as Stripe's webhooks last told (data/billing.ts). */
  readonly failedInvoices?: ReadonlySet<string>;
  readonly pendingEmail: string | null;
  readonly createdAt: string;
  readonly emailConfirmedAt?: string;
  /** Digest of the one confirmation link that still works; a new link replaces it. */
  readonly confirmTokenHash?: string;
  /** Digest of the one password reset link that still works. */
  readonly resetTokenHash?: string;
  /** Digests of the links of the email change under way: confirm (new address), revoke (old). */
  readonly emailChangeTokenHash?: string;
  readonly emailRevokeTokenHash?: string;
  /**
   * After confirmation, the revoke link mailed with the request (the notice of the change carries
   * a newer one): both undo the change for their 7 days, and either use kills the other.
   */
  readonly emailFirstRevokeTokenHash?: string;
  /** The address before the last confirmed change, while its revoke link may undo it. */
  readonly previousEmail?: string;
  /**
   * Set by an operator (npm run account -- suspend): every key answers 403, a login with the right
   * password too, no mail goes out but the notice of it; the owner may still delete the account.
   */
  readonly suspendedAt?: string;
  readonly suspensionReason?: string;
  /** The deletion under way: the name of its workflow execution, set with status DELETING. */
  readonly deletionExecution?: string;
  readonly deletionRequestedAt?: string;
  /** Set by the workflow's first step: from then on the request can no longer be withdrawn. */
  readonly deletionStartedAt?: string;
  /** When the platform was told of the deletion (account.deletion_requested without a wait). */
  readonly deletionAnnouncedAt?: string;
  /** The platform was asked to clean up (the waiting task's token, as a digest), and when. */
  readonly platformCleanupTokenHash?: string;
  readonly platformCleanupRequestedAt?: string;
  /** Set once the goodbye notice went out, so that a rerun does not send it twice. */
  readonly goodbyeSentAt?: string;
  /** Why the deletion workflow gave up (DELETION_FAILED), for the operator. */
  readonly deletionFailure?: { readonly error: string; readonly cause: string; readonly at: string };
  /** Optimistic lock: bumped by every profile change. */
  readonly version: number;
}

type WithStatus = Pick<Account, 'status'>;

/** Confirmed and not being deleted: keys work, logins succeed. */
export const isActive = (a: WithStatus | undefined): boolean => a?.status === STATUS.active;

/** An operator suspended the account (it stays ACTIVE underneath: lifting it changes nothing else). */
export const isSuspended = (a: Pick<Account, 'suspendedAt'> | undefined): boolean =>
  a?.suspendedAt !== undefined;

/** A signup whose address was never proven. */
export const isUnconfirmed = (a: WithStatus | undefined): boolean => a?.status === STATUS.unconfirmed;

/**
 * Who may be mailed a reset link, and use one: an account still in use. A reset link proves the
 * mailbox, so an unconfirmed signup may have one too (it confirms the address); an account being
 * deleted never does, nor a suspended one (no mail goes to it but the notice of its suspension).
 */
export const LINK_STATUSES: readonly AccountStatus[] = [STATUS.active, STATUS.unconfirmed];
export const mayReceiveLinks = (a: Pick<Account, 'status' | 'suspendedAt'> | undefined): boolean =>
  a !== undefined && LINK_STATUSES.includes(a.status) && !isSuspended(a);

/** The deletion workflow holds the account (between the destroy request and its end). */
export const isDeleting = (a: WithStatus | undefined): boolean => a?.status === STATUS.deleting;

/** The deletion workflow gave up; an operator retries it (docs/operations.md). */
export const deletionFailed = (a: WithStatus | undefined): boolean => a?.status === STATUS.deletionFailed;
