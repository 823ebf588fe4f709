// A named key for a machine (CI, a deploy script), as POST /api/api_keys and the console's keys
// page make it: the current password (counted toward the asking key's throttle), and with MFA on a
// fresh second factor; at most 50 keys that still work; the audit record in the key's own write;
// the owner mailed. A stolen key or session alone never mints another.
import {
  enforceKeyLimit,
  listApiKeys,
  liveKeys,
  MAX_KEYS_PER_ACCOUNT,
  newKeyRecord,
  storeApiKey,
} from '#data/api-keys.ts';
import { profileCheck } from '#data/profiles.ts';
import type { Account } from '#domain/account.ts';
import { type KeyScope, keyName, MAX_KEY_NAME_LENGTH, newApiKey } from '#domain/api-keys.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import type { Origin, RequestTime } from '#domain/request.ts';
import { deliver } from '#email/deliver.ts';
import { auditItem, auditLog } from './audit.ts';
import { checkCurrentPassword } from './reauthenticate.ts';
import { confirmSecondFactor, type Reauthentication } from './second-factor.ts';

const DAY_SECONDS = 86_400;

export interface NewKeyRequest {
  readonly name: string;
  readonly scope: KeyScope;
  readonly expiresInDays?: number;
}

export interface CreatedKey {
  /** Shown once. */
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly scope: KeyScope;
  readonly expiresAt?: number;
}

/** `reauth` carries the current password (required) and, with MFA on, the code or a fresh key's factor. */
export async function createNamedKey(
  user: Account,
  askingKeyId: string,
  request: NewKeyRequest,
  reauth: Reauthentication & { readonly currentPassword: string },
  time: RequestTime,
  origin: Origin,
): Promise<CreatedKey> {
  const name = keyName(request.name);
  if (name === undefined)
    throw new ValidationError(
      'name',
      `must be one line of at most ${MAX_KEY_NAME_LENGTH} printable characters`,
    );
  const { scope } = request;
  const { now } = time;
  const listing = listApiKeys(user.userId);
  listing.catch(() => undefined);
  const settle = user.mfaEnabled
    ? await confirmSecondFactor(user, askingKeyId, { ...reauth, passwordRequired: true }, now, origin).then(
        () => undefined,
      )
    : await checkCurrentPassword(user, askingKeyId, reauth.currentPassword, now, origin.ip);
  const listed = await listing;
  if (liveKeys(listed, now).length >= MAX_KEYS_PER_ACCOUNT)
    throw new ConflictError(
      `The account has ${MAX_KEYS_PER_ACCOUNT} API keys that still work, the most it may hold. Revoke one first (gatehouse account:api_keys, then account:api_keys:revoke ID).`,
    );
  const expiresAt =
    request.expiresInDays === undefined ? undefined : now + request.expiresInDays * DAY_SECONDS;
  const key = newApiKey(user.userId);
  const event = {
    name: 'api_key.created',
    userId: user.userId,
    ...origin,
    detail: { keyId: key.id, name, scope, ...(expiresAt ? { expiresAt } : {}) },
  } as const;
  const [stored] = await Promise.all([
    storeApiKey(newKeyRecord(user.userId, key, time.at, { origin, name, scope, expiresAt }), [
      profileCheck(user),
      auditItem(event, now),
    ]),
    settle?.succeed(),
  ]);
  if (!stored) throw new ConflictError('The account changed meanwhile. Try again.');
  auditLog(event);
  await enforceKeyLimit(user.userId, key.id, now);
  await deliver('notice', user.email, [
    'apiKeyCreatedNotice',
    new Date(now * 1000),
    {
      id: key.id,
      name,
      scope,
      expiresAt: expiresAt === undefined ? undefined : new Date(expiresAt * 1000),
    },
  ]);
  return { key: key.key, id: key.id, name, scope, expiresAt };
}
