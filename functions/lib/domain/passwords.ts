// Password hashing: argon2id, m=19456 KiB, t=2, p=1 (OWASP's first recommended setting), 16-byte
// salt, 32-byte tag, stored as a PHC string so parameters can change without a migration: a login
// that verifies against old parameters rehashes (needsRehash).
import * as nodeCrypto from 'node:crypto';

export interface Argon2Params {
  readonly m: number;
  readonly t: number;
  readonly p: number;
}

export const ARGON2_PARAMS: Argon2Params = { m: 19456, t: 2, p: 1 };
const SALT_BYTES = 16;
const TAG_BYTES = 32;

/** No stored password is longer (the policy's limit); login refuses longer ones unhashed. */
export const MAX_PASSWORD_LENGTH = 256;

type Argon2id = (password: Uint8Array, salt: Uint8Array, params: Argon2Params) => Promise<Uint8Array>;

const nativeArgon2 = (nodeCrypto as { argon2?: typeof nodeCrypto.argon2 }).argon2;

/** Node's own argon2 (OpenSSL, Node ≥ 24.7), several times faster than the pure-JS one. */
export const nativeArgon2id: Argon2id | undefined = nativeArgon2
  ? (password, salt, { m, t, p }) =>
      new Promise((resolve, reject) =>
        nativeArgon2(
          'argon2id',
          { message: password, nonce: salt, memory: m, passes: t, parallelism: p, tagLength: TAG_BYTES },
          (err, key) => (err ? reject(err) : resolve(new Uint8Array(key))),
        ),
      )
  : undefined;

/**
 * Pure-JS fallback for runtimes without it; byte-for-byte the same output (tested). Imported where
 * it is called, so that a runtime with the native one never loads it (a chunk of its own, deployed).
 */
export const nobleArgon2id: Argon2id = async (password, salt, { m, t, p }) => {
  const { argon2idAsync } = await import('@noble/hashes/argon2.js');
  return argon2idAsync(password, salt, { m, t, p, dkLen: TAG_BYTES });
};

const argon2id: Argon2id = nativeArgon2id ?? nobleArgon2id;

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
const utf8 = (s: string) => new TextEncoder().encode(s.normalize('NFKC'));

export async function hashPassword(password: string, params = ARGON2_PARAMS): Promise<string> {
  const salt = nodeCrypto.randomBytes(SALT_BYTES);
  const tag = await argon2id(utf8(password), salt, params);
  return `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}$${b64(salt)}$${b64(tag)}`;
}

interface ParsedHash {
  readonly params: Argon2Params;
  readonly salt: Buffer;
  readonly tag: Buffer;
}

const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function parseHash(phc: string): ParsedHash {
  const match = PHC.exec(phc);
  if (!match) throw new Error('Unsupported password hash format');
  const [, m, t, p, salt, tag] = match as unknown as [string, string, string, string, string, string];
  return {
    params: { m: Number(m), t: Number(t), p: Number(p) },
    salt: Buffer.from(salt, 'base64'),
    tag: Buffer.from(tag, 'base64'),
  };
}

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const { params, salt, tag } = parseHash(phc);
  const candidate = await argon2id(utf8(password), salt, params);
  return candidate.length === tag.length && nodeCrypto.timingSafeEqual(candidate, tag);
}

export function needsRehash(phc: string, params = ARGON2_PARAMS): boolean {
  const current = parseHash(phc).params;
  return current.m !== params.m || current.t !== params.t || current.p !== params.p;
}

// A hash of a random password nobody knows, made with the current parameters. A constant rather
// than made at run time, so the first unknown address in a container pays one hash, not two.
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$jPzNTfoH0ijzxVpar1CtJg$LQvgqOvyEiVBqwRAaTTg6jqlC/oVJ4k6D8COz5cGa70';

/** Verifies against the dummy hash, so that an unknown address costs as much time as a known one. */
export async function burnPasswordCheck(password: string): Promise<void> {
  await verifyPassword(password, DUMMY_HASH);
}
