import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ARGON2_PARAMS,
  DUMMY_HASH,
  hashPassword,
  nativeArgon2id,
  needsRehash,
  nobleArgon2id,
  verifyPassword,
} from '#domain/passwords.ts';

describe('password hashing', () => {
  it('stores an argon2id PHC string with the standing parameters', async () => {
    const phc = await hashPassword('correct horse battery staple');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password!!')).not.toBe(await hashPassword('same password!!'));
  });

  it('verifies the right password and refuses others', async () => {
    const phc = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', phc)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', phc)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', phc)).toBe(false);
  });

  it('treats canonically equivalent Unicode spellings as the same password', async () => {
    const phc = await hashPassword('caf\u00e9 au lait, please');
    expect(await verifyPassword('cafe\u0301 au lait, please', phc)).toBe(true);
  });

  it('gives byte-identical output with node:crypto and @noble/hashes', async () => {
    expect(nativeArgon2id, 'Node 24 has native argon2').toBeDefined();
    const native = nativeArgon2id as NonNullable<typeof nativeArgon2id>;
    for (const password of ['', 'correct horse battery staple', 'pässwörd ✓ 密码']) {
      const salt = randomBytes(16);
      const message = new TextEncoder().encode(password);
      const a = await native(message, salt, ARGON2_PARAMS);
      const b = await nobleArgon2id(message, salt, ARGON2_PARAMS);
      expect(Buffer.from(a).toString('hex')).toBe(Buffer.from(b).toString('hex'));
    }
  });

  it('knows when a stored hash was made with other parameters', async () => {
    const old = await hashPassword('correct horse battery staple', { m: 64, t: 1, p: 1 });
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('correct horse battery staple'))).toBe(false);
    expect(await verifyPassword('correct horse battery staple', old)).toBe(true);
  });

  it('refuses a hash it does not understand instead of passing it', async () => {
    await expect(verifyPassword('x', '$2b$10$abcdefghijklmnopqrstuv')).rejects.toThrow(/Unsupported/);
  });
});

describe('the dummy hash an unknown address is checked against', () => {
  it('uses the current parameters, so it costs what a real check costs', async () => {
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    await expect(verifyPassword('', DUMMY_HASH)).resolves.toBe(false);
  });
});
