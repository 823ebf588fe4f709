import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, looksLikeApiKey, newApiKey } from '#domain/api-keys.ts';

describe('API keys', () => {
  it('carry the prefix and 256 random bits, and are stored as their SHA-256', () => {
    const { key, hash, id } = newApiKey();
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never repeat', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newApiKey().key));
    expect(keys.size).toBe(1000);
  });

  it('are recognised by shape before any lookup', () => {
    expect(looksLikeApiKey(newApiKey().key)).toBe(true);
    expect(looksLikeApiKey('correct horse battery staple')).toBe(false);
    expect(looksLikeApiKey(`${newApiKey().key}x`)).toBe(false);
  });
});
