// The account lifecycle events Gatehouse tells the platform about (docs/events.md): their names,
// and what each carries besides the envelope (event id, account id, sequence, time). Never a
// secret, a password hash, a card number or a Stripe id: what changed, in the contract's words.

export const EVENT_SOURCE = 'gatehouse';

export interface LifecycleFields {
  /** The account becomes usable: a staged signup finished, a link confirmed, a Google signup. */
  'account.created': {
    readonly email: string;
    readonly tier: string;
    readonly via: 'code' | 'link' | 'google';
  };
  /** The address moved (`undo`: the move was undone from the old address's link). */
  'account.email_changed': { readonly email: string; readonly previousEmail: string; readonly undo: boolean };
  'account.tier_changed': { readonly tier: string; readonly previousTier: string };
  /**
   * A card set, replaced or removed (`hasPaymentMethod`: one is on file now); nothing of the card
   * itself (account status shows its brand and last four to the owner).
   */
  'account.payment_method_changed': { readonly hasPaymentMethod: boolean };
  'account.mfa_changed': { readonly mfaEnabled: boolean };
  /** An operator suspended the account: its keys and logins are refused until it is lifted. */
  'account.suspended': { readonly reason: string };
  'account.unsuspended': Readonly<Record<string, never>>;
  /** An operator added credit (or took some back). */
  'account.credit_changed': { readonly creditCents: number; readonly previousCreditCents: number };
  /** An operator revoked every key of the account (the owner's own revocations are no event). */
  'account.keys_revoked': { readonly count: number };
  /**
   * The deletion was claimed. Where the workflow waits for the platform's cleanup, the token to
   * report it with (SendTaskSuccess or SendTaskFailure) and when the wait ends.
   */
  'account.deletion_requested': { readonly taskToken?: string; readonly deadline?: string };
  'account.deleted': Readonly<Record<string, never>>;
}

export type LifecycleEvent = keyof LifecycleFields;

export const LIFECYCLE_EVENTS = [
  'account.created',
  'account.email_changed',
  'account.tier_changed',
  'account.payment_method_changed',
  'account.mfa_changed',
  'account.suspended',
  'account.unsuspended',
  'account.credit_changed',
  'account.keys_revoked',
  'account.deletion_requested',
  'account.deleted',
] as const satisfies readonly LifecycleEvent[];

/** The `detail` of an event on the bus. */
export type LifecycleDetail<E extends LifecycleEvent = LifecycleEvent> = {
  /** Stable across redeliveries: what a consumer deduplicates on. */
  readonly eventId: string;
  readonly accountId: string;
  /** Increases with each event of the account, in the order the changes happened; gaps possible. */
  readonly sequence: number;
  /** When the change happened (ISO 8601, ms). */
  readonly time: string;
} & LifecycleFields[E];
