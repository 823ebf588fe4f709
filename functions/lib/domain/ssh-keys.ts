// SSH public keys, as a hosting platform's git and shell hosts will trust them: one key per line
// in OpenSSH's `<type> <base64 blob> [comment]`, the blob parsed (RFC 4253 6.6, RFC 5656 3.1) and
// the key itself checked by node:crypto (an Ed25519 point of the right length, an ECDSA point on
// its curve, an RSA modulus of at least 2048 bits). The fingerprint is OpenSSH's SHA256 one.
import { createHash, createPublicKey } from 'node:crypto';
import { ValidationError } from './errors.ts';

/** Longer than any key of these types with a comment: anything beyond is not worth parsing. */
export const MAX_SSH_KEY_LENGTH = 16_384;
const MAX_COMMENT_LENGTH = 255;
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 16_384;

const CURVES: Record<string, { readonly curve: string; readonly jwk: string; readonly bytes: number }> = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', jwk: 'P-256', bytes: 32 },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', jwk: 'P-384', bytes: 48 },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', jwk: 'P-521', bytes: 66 },
};

export type SshKeyType = 'ssh-ed25519' | 'ssh-rsa' | keyof typeof CURVES;

export interface SshPublicKey {
  readonly type: SshKeyType;
  /** The key as stored and shown: `<type> <base64>` and the comment, if any. */
  readonly line: string;
  readonly comment?: string;
  /** `SHA256:<unpadded base64 of the blob's SHA-256>`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  readonly bits: number;
}

const invalid = (message: string) => new ValidationError('ssh_key', message);

/** Reads the SSH wire format's length-prefixed strings in turn; throws when the blob runs short. */
function reader(blob: Buffer) {
  let at = 0;
  return {
    next(): Buffer {
      if (at + 4 > blob.length) throw invalid('is not a valid public key (its data is cut short)');
      const length = blob.readUInt32BE(at);
      if (at + 4 + length > blob.length) throw invalid('is not a valid public key (its data is cut short)');
      const value = blob.subarray(at + 4, at + 4 + length);
      at += 4 + length;
      return value;
    },
    done: () => at === blob.length,
  };
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** An mpint without its sign byte (RFC 4251 5): the unsigned big-endian magnitude. */
const magnitude = (mpint: Buffer) => (mpint[0] === 0 ? mpint.subarray(1) : mpint);

/** The key's size in bits, once node:crypto has taken it as a key of its type. */
function checkKey(type: SshKeyType, r: ReturnType<typeof reader>): number {
  try {
    if (type === 'ssh-ed25519') {
      const point = r.next();
      if (point.length !== 32) throw invalid('is not a valid Ed25519 key');
      createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(point) }, format: 'jwk' });
      return 256;
    }
    if (type === 'ssh-rsa') {
      const e = magnitude(r.next());
      const n = magnitude(r.next());
      const bits = n.length * 8 - Math.clz32(n[0] ?? 0) + 24;
      if (bits < MIN_RSA_BITS)
        throw invalid(`is an RSA key of ${bits} bits: at least ${MIN_RSA_BITS} are needed`);
      if (bits > MAX_RSA_BITS) throw invalid(`is an RSA key of ${bits} bits: at most ${MAX_RSA_BITS}`);
      createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' });
      return bits;
    }
    const curve = CURVES[type];
    if (!curve || r.next().toString('latin1') !== curve.curve)
      throw invalid('names another curve than its type');
    const point = r.next();
    // Uncompressed points only, as OpenSSH writes them: 0x04 || X || Y.
    if (point[0] !== 4 || point.length !== 1 + 2 * curve.bytes) throw invalid('is not a valid ECDSA key');
    createPublicKey({
      key: {
        kty: 'EC',
        crv: curve.jwk,
        x: b64url(point.subarray(1, 1 + curve.bytes)),
        y: b64url(point.subarray(1 + curve.bytes)),
      },
      format: 'jwk',
    });
    return curve.bytes === 66 ? 521 : curve.bytes * 8;
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    // node:crypto refused it: not a point on the curve, not a usable RSA key.
    throw invalid('is not a valid public key');
  }
}

/** Parses and checks one OpenSSH public key line; a 400 under `ssh_key` says what is wrong. */
export function parseSshPublicKey(input: string): SshPublicKey {
  const text = input.trim();
  if (text.length > MAX_SSH_KEY_LENGTH) throw invalid('is too long for a public key');
  if (/PRIVATE KEY/.test(text))
    throw invalid('is a private key: add the public one (the .pub file), and keep this one secret');
  if (/[\r\n]/.test(text)) throw invalid('holds more than one line: add one key per call');
  // `<type> <data>`, then the comment as it was written (inner spaces kept).
  const [, type = '', data = '', tail = ''] = /^(\S*)[ \t]*(\S*)(.*)$/.exec(text) ?? [];
  if (type !== 'ssh-ed25519' && type !== 'ssh-rsa' && !(type in CURVES)) {
    throw invalid(
      'is not a public key Gatehouse takes: use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa (2048 bits or more), with no options before it',
    );
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data))
    throw invalid('is not a valid public key (its data is not base64)');
  const blob = Buffer.from(data, 'base64');
  const r = reader(blob);
  if (r.next().toString('latin1') !== type) throw invalid('says one key type and holds another');
  const bits = checkKey(type as SshKeyType, r);
  if (!r.done()) throw invalid('is not a valid public key (its data runs on)');
  const comment = tail.trim();
  if (comment.length > MAX_COMMENT_LENGTH)
    throw invalid(`has a comment over ${MAX_COMMENT_LENGTH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(comment)) throw invalid('has control characters in its comment');
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return {
    type: type as SshKeyType,
    line: `${type} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`,
    ...(comment ? { comment } : {}),
    fingerprint,
    bits,
  };
}
