// Which account a credential stands for, if any: what every key-authenticated route asks
// (http/auth.ts), and what the platform's services ask through the authorizer and the lookup
// function (functions/platform/). One answer for all of them, so a key Gatehouse refuses is refused
// everywhere, on the very next request after it is revoked (every read is consistent).
import { type ApiKeyRecord, findAddressedKey, findApiKey, recordKeyUse } from '#data/api-keys.ts';
import { undoableChangeUntil } from '#data/email-change.ts';
import { getUser } from '#data/profiles.ts';
import { ownerOfSshKey } from '#data/ssh-keys.ts';
import { type Account, isActive, isSuspended } from '#domain/account.ts';
import { hasExpired, type KeyAddress, type KeyScope, keyAddress, looksLikeApiKey } from '#domain/api-keys.ts';
import type { Origin } from '#domain/request.ts';
import { TIER_LIMITS } from '#domain/tiers.ts';
import { digest } from '#domain/tokens.ts';

export interface VerifiedKey<T> {
  readonly user: Account;
  readonly record: ApiKeyRecord;
  /** When this key was last used, this use included (recorded at most hourly). */
  readonly lastUsedAt: number | undefined;
  /** What `alongside` read, given. */
  readonly alongside: T;
}

/** A key that is right but no longer works: its holder is told so, nothing else is read. */
export interface ExpiredKey {
  readonly expiredAt: number;
}

export const isExpiredKey = (verdict: object): verdict is ExpiredKey => 'expiredAt' in verdict;

/**
 * The address a Basic key credential names must be the account's, or its previous one while that
 * change can still be undone: clients that keep `email:key` (the Gigalixir CLI's netrc) go on
 * working after a change of address. Any other account's address is a wrong credential.
 */
async function addressFits(address: string, user: Account, now: number): Promise<boolean> {
  if (address === user.email) return true;
  return address === user.previousEmail && (await undoableChangeUntil(user, now)) !== undefined;
}

/**
 * The key and its account. A key that carries its address is one round trip (both items at once);
 * a legacy key is resolved by digest first, then its account.
 */
async function resolveKey(
  secret: string,
  address: KeyAddress | undefined,
): Promise<{ record: ApiKeyRecord; user: Account | undefined } | undefined> {
  if (address) return findAddressedKey(address, digest(secret));
  const record = await findApiKey(digest(secret));
  return record && { record, user: await getUser(record.userId) };
}

/**
 * The account `secret` is a live key of, or undefined. `email`, when the credential names one
 * (Basic), is the normalized address it names. `alongside`, given, is the caller's own read of
 * the account: started with the key's reads for a key that names its account (after them
 * otherwise), and seen only once the key holds. An account being deleted has no live key: a
 * deletion request stops every key at once, before the purge removes them. An expired key of an
 * active account is answered as such (ExpiredKey); `origin`, given, is recorded with the key's use.
 */
export async function verifyApiKey<T = undefined>(
  credential: { readonly secret: string; readonly email?: string },
  now: number,
  alongside?: (userId: string) => Promise<T>,
  origin?: Origin,
): Promise<VerifiedKey<T> | ExpiredKey | undefined> {
  if (!looksLikeApiKey(credential.secret)) return undefined;
  const address = keyAddress(credential.secret);
  const early = address && alongside?.(address.userId);
  // Awaited below once the key holds; dropped, never unhandled, when it does not.
  early?.catch(() => undefined);
  const found = await resolveKey(credential.secret, address);
  const user = found?.user;
  if (!found || !user || !isActive(user)) return undefined;
  if (credential.email !== undefined && !(await addressFits(credential.email, user, now))) return undefined;
  const { expiresAt } = found.record;
  if (hasExpired(expiresAt, now)) return { expiredAt: expiresAt as number };
  const [lastUsedAt, read] = await Promise.all([
    recordKeyUse(found.record, now, origin),
    early ?? alongside?.(user.userId),
  ]);
  return { user, record: found.record, lastUsedAt, alongside: read as T };
}

/** The account an SSH key (by its SHA256 fingerprint) belongs to, if the key and the account stand. */
export async function verifySshKey(
  fingerprint: string,
): Promise<{ readonly user: Account; readonly sshKeyId: string } | undefined> {
  const owner = await ownerOfSshKey(fingerprint);
  const user = owner && (await getUser(owner.userId));
  // A suspended account's SSH keys open nothing either.
  return user && isActive(user) && !isSuspended(user) ? { user, sshKeyId: owner.keyId } : undefined;
}

/**
 * What the platform's services are told about the account behind a credential (docs/integration.md).
 * Flat strings, numbers and booleans, as API Gateway passes an authorizer's context on: the tier's
 * limits go as one JSON string (null is no limit), never a secret or card data.
 */
export interface AccountContext {
  readonly [field: string]: string | number | boolean;
  readonly accountId: string;
  readonly email: string;
  readonly tier: string;
  readonly limits: string;
  readonly mfaEnabled: boolean;
  /** How the credential was presented: an API key or an SSH key. */
  readonly credential: 'api_key' | 'ssh_key';
  /** The id of the API key or SSH key used (as `gatehouse` lists them). */
  readonly keyId: string;
  /** What the credential may do: `read` is for GET requests only; an SSH key is `full`. */
  readonly scope: KeyScope;
}

export const accountContext = (
  user: Account,
  credential: AccountContext['credential'],
  keyId: string,
  scope: KeyScope,
): AccountContext => ({
  accountId: user.userId,
  email: user.email,
  tier: user.tier,
  limits: JSON.stringify(TIER_LIMITS[user.tier]),
  mfaEnabled: user.mfaEnabled,
  credential,
  keyId,
  scope,
});
