// The second factor's state, kept on the profile item (USER#<id>|PROFILE) so that login reads it
// with the account in one GetItem. Every change is one conditional write: a code is spent by the
// write that records it, so two requests with one code cannot both pass.

import type { Account } from '#domain/account.ts';
import { ConflictError } from '#domain/errors.ts';
import { isConditionFailed, type TransactItem, tableName, transactIf, updateIf } from './client.ts';
import { updateItem } from './document.ts';
import { keys } from './keys.ts';
import { outboxPut } from './outbox.ts';

/** Stores a new pending secret (replacing any earlier one) while MFA is off, with who started it. */
export async function setPendingMfaSecret(
  userId: string,
  sealed: string,
  started: { readonly keyId: string; readonly at: number },
): Promise<void> {
  const stored = await updateIf({
    TableName: tableName(),
    Key: keys.user(userId),
    ConditionExpression: 'attribute_exists(pk) AND mfaEnabled = :off',
    UpdateExpression:
      'SET mfaPendingSecret = :sealed, mfaPendingKeyId = :key, mfaPendingAt = :at, version = version + :one',
    ExpressionAttributeValues: {
      ':off': false,
      ':sealed': sealed,
      ':key': started.keyId,
      ':at': started.at,
      ':one': 1,
    },
  });
  if (!stored)
    throw new ConflictError('MFA is already on. Turn it off first to set up another authenticator.');
}

/**
 * Turns MFA on with the pending secret a code was just verified against (that step counts as
 * used) and a set of recovery code digests; `alsoWrite` (its audit event) in the same transaction.
 * 409 when MFA went on meanwhile or another setup replaced the pending secret.
 */
export async function activateMfa(
  user: Account,
  step: number,
  recoveryDigests: readonly string[],
  enabledAt: string,
  alsoWrite: TransactItem[] = [],
): Promise<void> {
  const activated = await transactIf([
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(user.userId),
        ConditionExpression: 'mfaPendingSecret = :pending AND mfaEnabled = :off',
        UpdateExpression:
          'SET mfaEnabled = :on, mfaSecret = :pending, mfaLastStep = :step, mfaRecoveryCodes = :codes, mfaEnabledAt = :at, version = version + :one REMOVE mfaPendingSecret, mfaPendingKeyId, mfaPendingAt',
        ExpressionAttributeValues: {
          ':pending': user.mfaPendingSecret,
          ':off': false,
          ':on': true,
          ':step': step,
          ':codes': new Set(recoveryDigests),
          ':at': enabledAt,
          ':one': 1,
        },
      },
    },
    outboxPut(user.userId, 'account.mfa_changed', { mfaEnabled: true }, Date.parse(enabledAt) / 1000),
    ...alsoWrite,
  ]);
  if (!activated) {
    throw new ConflictError('MFA setup changed meanwhile (turned on, or started again). Start again.');
  }
}

/**
 * Spends a TOTP time step: recorded only if later than the last one used, and only while `sealed`
 * is still the account's secret. False when the step (or a later one) was used already.
 */
export const spendTotpStep = (userId: string, sealed: string, step: number): Promise<boolean> =>
  updateIf({
    TableName: tableName(),
    Key: keys.user(userId),
    ConditionExpression:
      'mfaEnabled = :on AND mfaSecret = :sealed AND (attribute_not_exists(mfaLastStep) OR mfaLastStep < :step)',
    UpdateExpression: 'SET mfaLastStep = :step',
    ExpressionAttributeValues: { ':on': true, ':sealed': sealed, ':step': step },
  });

/**
 * Spends a recovery code: its digest leaves the set, only if it is still there. Returns how many
 * are left after it (as the write left them, whatever ran in parallel), or undefined when refused.
 */
export async function spendRecoveryCode(userId: string, codeDigest: string): Promise<number | undefined> {
  try {
    const { Attributes } = await updateItem({
      TableName: tableName(),
      Key: keys.user(userId),
      ConditionExpression: 'mfaEnabled = :on AND contains(mfaRecoveryCodes, :digest)',
      UpdateExpression: 'DELETE mfaRecoveryCodes :spent',
      ExpressionAttributeValues: { ':on': true, ':digest': codeDigest, ':spent': new Set([codeDigest]) },
      ReturnValues: 'UPDATED_NEW',
    });
    // The last code gone: DynamoDB drops the empty set.
    return (Attributes?.mfaRecoveryCodes as Set<string> | undefined)?.size ?? 0;
  } catch (err) {
    if (isConditionFailed(err)) return undefined;
    throw err;
  }
}

/** A new set of recovery codes; every earlier code dies. False when MFA is off. */
export const replaceRecoveryCodes = (
  userId: string,
  recoveryDigests: readonly string[],
  alsoWrite: TransactItem[] = [],
): Promise<boolean> =>
  transactIf([
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(userId),
        ConditionExpression: 'mfaEnabled = :on',
        UpdateExpression: 'SET mfaRecoveryCodes = :codes, version = version + :one',
        ExpressionAttributeValues: { ':on': true, ':codes': new Set(recoveryDigests), ':one': 1 },
      },
    },
    ...alsoWrite,
  ]);

/**
 * Turns MFA off: secret, last step and recovery codes go, with the platform's account.mfa_changed
 * event. False when it was off already.
 */
export const disableMfa = (userId: string, now: number, alsoWrite: TransactItem[] = []): Promise<boolean> =>
  transactIf([
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(userId),
        ConditionExpression: 'mfaEnabled = :on',
        UpdateExpression:
          'SET mfaEnabled = :off, version = version + :one REMOVE mfaSecret, mfaLastStep, mfaRecoveryCodes, mfaEnabledAt, mfaPendingSecret, mfaPendingKeyId, mfaPendingAt',
        ExpressionAttributeValues: { ':on': true, ':off': false, ':one': 1 },
      },
    },
    outboxPut(userId, 'account.mfa_changed', { mfaEnabled: false }, now),
    ...alsoWrite,
  ]);
