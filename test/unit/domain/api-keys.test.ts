import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  API_KEY_PREFIX,
  hasExpired,
  keyAddress,
  keyName,
  looksLikeApiKey,
  newApiKey,
  scopeAllows,
} from '#domain/api-keys.ts';

describe('API keys', () => {
  it('carry the prefix, the account and key ids, then 256 random bits, and are stored as their SHA-256', () => {
    const userId = randomUUID();
    const { key, hash, id, addressed } = newApiKey(userId);
    expect(addressed).toBe(true);
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    const bytes = Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url');
    expect(bytes).toHaveLength(64);
    expect(bytes.subarray(0, 16).toString('hex')).toBe(userId.replaceAll('-', ''));
    expect(bytes.subarray(16, 32).toString('hex')).toBe(id.replaceAll('-', ''));
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(keyAddress(key)).toEqual({ userId, keyId: id });
  });

  it('are legacy-shaped (no address) for an account id that is not a UUID', () => {
    const { key, addressed } = newApiKey('not-a-uuid');
    expect(addressed).toBe(false);
    expect(Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(keyAddress(key)).toBeUndefined();
  });

  it('never repeat', () => {
    const userId = randomUUID();
    const keys = new Set(Array.from({ length: 1000 }, () => newApiKey(userId).key));
    expect(keys.size).toBe(1000);
  });

  it('are recognised by shape before any lookup, legacy keys too', () => {
    const addressed = newApiKey(randomUUID()).key;
    const legacy = newApiKey('legacy').key;
    expect(looksLikeApiKey(addressed)).toBe(true);
    expect(looksLikeApiKey(legacy)).toBe(true);
    expect(looksLikeApiKey('correct horse battery staple')).toBe(false);
    expect(looksLikeApiKey(`${addressed}x`)).toBe(false);
    expect(looksLikeApiKey(`${legacy}x`)).toBe(false);
    expect(keyAddress(legacy)).toBeUndefined();
    expect(keyAddress(`${addressed}x`)).toBeUndefined();
  });
});

describe('what a key may do, and its name', () => {
  it('a read key reads only; a full key does everything', () => {
    for (const method of ['GET', 'HEAD', 'get']) expect(scopeAllows('read', method)).toBe(true);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(scopeAllows('read', method)).toBe(false);
      expect(scopeAllows('full', method)).toBe(true);
    }
  });

  it('a name is one trimmed line of printable characters, at most 64', () => {
    expect(keyName('  ci  ')).toBe('ci');
    expect(keyName('deploy — prod 🚀')).toBe('deploy — prod 🚀');
    expect(keyName('x'.repeat(64))).toBe('x'.repeat(64));
    for (const bad of ['', '   ', 'x'.repeat(65), 'a\nb', 'a\tb', 'a\u202eb', 'a\u2028b', 'a\u0000b'])
      expect(keyName(bad), JSON.stringify(bad)).toBeUndefined();
  });

  it('expires at its second, and never without an expiry', () => {
    expect(hasExpired(undefined, 2 ** 40)).toBe(false);
    expect(hasExpired(100, 99)).toBe(false);
    expect(hasExpired(100, 100)).toBe(true);
  });
});
