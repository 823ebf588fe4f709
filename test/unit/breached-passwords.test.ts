import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { breachCount, checkNotBreached } from '#adapters/pwned-passwords.ts';
import { ValidationError } from '#domain/errors.ts';
import { type FakePwned, startFakePwned } from '../support/fake-pwned.ts';

let fake: FakePwned;
beforeAll(async () => {
  fake = await startFakePwned({ 'monkey business 2024': 1234 });
});
afterAll(() => fake.close());

const settings = () => ({ url: fake.url, timeoutMs: 500 });

describe('the breached-password check', () => {
  it('finds a breached password, sending only a 5-hex prefix of its SHA-1, with padding asked for', async () => {
    fake.mode = 'ok';
    fake.requests.length = 0;
    expect(await breachCount('monkey business 2024', settings())).toBe(1234);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toMatch(/^\/range\/[0-9A-F]{5}$/);
    expect(fake.requests[0]?.headers['add-padding']).toBe('true');
  });

  it('does not count padding or other suffixes', async () => {
    fake.mode = 'ok';
    expect(await breachCount('a password nobody used', settings())).toBe(0);
  });

  it('refuses a breached password under errors.password, and only when configured', async () => {
    fake.mode = 'ok';
    await expect(checkNotBreached('monkey business 2024', settings())).rejects.toThrowError(
      new ValidationError('password', 'has appeared in a data breach; choose another'),
    );
    await expect(checkNotBreached('monkey business 2024', undefined)).resolves.toBeUndefined();
  });

  it.each([
    ['answers an error', 'error'],
    ['is too slow', 'slow'],
  ] as const)('fails open with a log line when the service %s', async (_name, mode) => {
    fake.mode = mode;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.stubEnv('LOG_LEVEL', 'info');
    try {
      await expect(checkNotBreached('monkey business 2024', settings())).resolves.toBeUndefined();
      expect(logged).toHaveBeenCalledOnce();
      expect(JSON.parse(String(logged.mock.calls[0]?.[0]))).toMatchObject({
        level: 'warn',
        message: 'breached-password check unavailable, allowing',
      });
      expect(String(logged.mock.calls[0]?.[0])).not.toContain('monkey');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('fails open when the service cannot be reached at all', async () => {
    expect(await breachCount('x', { url: 'http://127.0.0.1:9/range/', timeoutMs: 500 })).toBeUndefined();
  });
});
