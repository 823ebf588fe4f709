// An operator's suspension of an account (npm run account -- suspend): marked on the profile, with
// the platform's event and the audit item in the same transaction. The account stays ACTIVE
// underneath, so lifting the suspension gives back exactly what was there.
import { STATUS } from '#domain/account.ts';
import type { TransactItem } from './client.ts';
import { changeProfile } from './profiles.ts';

/** Suspends an ACTIVE account not suspended yet; false otherwise (nothing written). */
export const suspendAccount = (
  userId: string,
  reason: string,
  now: number,
  alsoWrite: TransactItem[] = [],
): Promise<boolean> =>
  changeProfile(
    userId,
    {
      condition: '#status = :active AND attribute_not_exists(suspendedAt)',
      set: 'suspendedAt = :at, suspensionReason = :reason',
      values: { ':active': STATUS.active, ':at': new Date(now * 1000).toISOString(), ':reason': reason },
    },
    { name: 'account.suspended', fields: { reason } },
    now,
    alsoWrite,
  );

/** Lifts the suspension of a suspended account; false when it is not suspended (nothing written). */
export const liftSuspension = (
  userId: string,
  now: number,
  alsoWrite: TransactItem[] = [],
): Promise<boolean> =>
  changeProfile(
    userId,
    { condition: 'attribute_exists(suspendedAt)', remove: 'suspendedAt, suspensionReason' },
    { name: 'account.unsuspended', fields: {} },
    now,
    alsoWrite,
  );
