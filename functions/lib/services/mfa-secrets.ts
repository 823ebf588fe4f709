// TOTP secrets at rest: AES-256-GCM under a key derived (HKDF-SHA-256) from configured material,
// so a copy of the table alone yields no working second factor. The material is MFA_ENCRYPTION_KEY
// locally and in tests, and a Secrets Manager secret in deployed stacks, fetched once per
// container and only by the functions that handle second factors. The account id is bound in as
// associated data: a sealed secret copied onto another account does not open there.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { secretValue } from '#adapters/secrets-manager.ts';
import { ConfigError, config } from '#shared/config.ts';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The 256-bit AES key for `material` (any string of at least 32 random characters). */
export const deriveMfaKey = (material: string): Buffer =>
  Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'gatehouse/mfa-secret/v1', 32));

const aad = (userId: string) => Buffer.from(`mfa:${userId}`);

/** `v1.<iv>.<ciphertext>.<tag>`, base64url. */
export function seal(key: Buffer, userId: string, plain: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(userId));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [VERSION, iv, body, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Opens what seal() made for the same account; throws on any tampering or a wrong key. */
export function open(key: Buffer, userId: string, sealed: string): Uint8Array {
  const [version, iv, body, tag, ...rest] = sealed.split('.');
  if (version !== VERSION || iv === undefined || body === undefined || tag === undefined || rest.length) {
    throw new Error('Not a sealed MFA secret');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
    authTagLength: TAG_BYTES,
  })
    .setAAD(aad(userId))
    .setAuthTag(Buffer.from(tag, 'base64url'));
  return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]));
}

// The material is fetched once per container (adapters/secrets-manager.ts); deriving the key from it is microseconds.
async function mfaKey(): Promise<Buffer> {
  const source = config().mfaKey;
  if (!source) {
    throw new ConfigError('Set MFA_ENCRYPTION_KEY or MFA_ENCRYPTION_KEY_SECRET_ARN to use MFA');
  }
  const material = await secretValue(source);
  if (material.length < 32) throw new ConfigError('The MFA key material must be at least 32 characters');
  return deriveMfaKey(material);
}

export const sealMfaSecret = async (userId: string, secret: Uint8Array): Promise<string> =>
  seal(await mfaKey(), userId, secret);

export const openMfaSecret = async (userId: string, sealed: string): Promise<Uint8Array> =>
  open(await mfaKey(), userId, sealed);
