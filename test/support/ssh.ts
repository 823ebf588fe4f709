// SSH public keys for tests: made by node:crypto, written as OpenSSH writes them.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

const string = (value: Buffer | string) => {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};
const mpint = (unsigned: Buffer) =>
  string((unsigned[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), unsigned]) : unsigned);
const fromJwk = (v: unknown) => Buffer.from(String(v), 'base64url');

/** The OpenSSH public key line of a node:crypto public key, as ssh-keygen writes it. */
export function opensshLine(key: KeyObject, comment = 'me@laptop'): string {
  const jwk = key.export({ format: 'jwk' });
  let type: string;
  let blob: Buffer;
  if (jwk.kty === 'OKP') {
    type = 'ssh-ed25519';
    blob = Buffer.concat([string(type), string(fromJwk(jwk.x))]);
  } else if (jwk.kty === 'RSA') {
    type = 'ssh-rsa';
    blob = Buffer.concat([string(type), mpint(fromJwk(jwk.e)), mpint(fromJwk(jwk.n))]);
  } else {
    const curve = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' }[
      String(jwk.crv)
    ] as string;
    type = `ecdsa-sha2-${curve}`;
    const point = Buffer.concat([Buffer.from([4]), fromJwk(jwk.x), fromJwk(jwk.y)]);
    blob = Buffer.concat([string(type), string(curve), string(point)]);
  }
  return `${type} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
}

/** A fresh Ed25519 public key line. */
export const newSshKey = (comment?: string): string =>
  opensshLine(generateKeyPairSync('ed25519').publicKey, comment);
