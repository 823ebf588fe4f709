// MFA as a user meets it: the otpauth:// URI read as an authenticator app reads it, codes computed
// from it by the otpauth library, recovery codes as shown once.

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { URI } from 'otpauth';
import { expect } from 'vitest';
import { nowSeconds } from '#domain/tokens.ts';
import { totpCode, totpStep } from '#domain/totp.ts';
import { activeAccount, call, login } from './flows.ts';
import { bearer, storedKeyOf, withKey } from './keys.ts';
import { direct } from './table.ts';

/** The secret an authenticator app takes from the URI. */
export function secretOf(url: string): Uint8Array {
  const otp = URI.parse(url);
  return new Uint8Array(otp.secret.buffer);
}

/** The code the app shows `offset` steps from now (or from `atMs`). */
export const codeAt = (secret: Uint8Array, offset = 0, atMs = Date.now()): string =>
  totpCode(secret, totpStep(atMs) + offset);

/** A six-digit code that matches none of the steps the server would accept around `atMs`. */
export function wrongCode(secret: Uint8Array, atMs = Date.now()): string {
  const near = new Set([-2, -1, 0, 1, 2].map((d) => codeAt(secret, d, atMs)));
  for (let n = Number(codeAt(secret, 0, atMs)); ; n = (n + 7919) % 1_000_000) {
    const candidate = String(n).padStart(6, '0');
    if (!near.has(candidate)) return candidate;
  }
}

export async function startMfa(key: string): Promise<{ url: string; secret: Uint8Array }> {
  const res = await call('POST', '/api/mfa/start', bearer(key));
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: { url: string } };
  return { url: data.url, secret: secretOf(data.url) };
}

export const verifyMfa = (key: string, code: string) =>
  call('POST', '/api/mfa/verify', withKey(key, { mfa_token: code }));

export const loginWithCode = (email: string, code: string) => login(email, undefined, {}, code);

export interface MfaAccount {
  readonly email: string;
  readonly secret: Uint8Array;
  readonly recoveryCodes: string[];
}

/**
 * A confirmed account with MFA on (its keys revoked by the activation, as for any user). The
 * activation spends the current step: the next login takes the code of the step after.
 */
export async function mfaAccount(email: string): Promise<MfaAccount> {
  const key = await activeAccount(email);
  const { secret } = await startMfa(key);
  const res = await verifyMfa(key, codeAt(secret));
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: { recovery_codes: string[] } };
  return { email, secret, recoveryCodes: data.recovery_codes };
}

/** A key for an account with MFA on, logging in with a recovery code (spends it). */
export async function mfaKey(account: MfaAccount, recoveryIndex: number): Promise<string> {
  const res = await loginWithCode(account.email, account.recoveryCodes[recoveryIndex] as string);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { key: string } }).data.key;
}

/** The login that minted `key` passed its second factor longer ago than the recent window. */
export async function outsideRecentWindow(key: string): Promise<void> {
  await direct.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: storedKeyOf(key),
      UpdateExpression: 'SET secondFactorAt = :long',
      ConditionExpression: 'attribute_exists(secondFactorAt)',
      ExpressionAttributeValues: { ':long': nowSeconds() - 3601 },
    }),
  );
}

export const FRESH_FACTOR_NEEDED =
  'is required: MFA is on. Send a current code from your authenticator app (or a recovery code), or log in again with a code and retry within 10 minutes.';
