import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.ts';
import { checkPasswordPolicy, isCommonPassword } from '#domain/password-policy.ts';

const email = 'alice.smith@example.com';
async function reason(password: string): Promise<string | undefined> {
  try {
    await checkPasswordPolicy(password, email);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).field).toBe('password');
    return (err as ValidationError).message;
  }
}

describe('password policy', () => {
  it('accepts 12 to 256 code points with no composition rules', async () => {
    expect(await reason('aaaaaaaaaaab')).toBeUndefined();
    expect(await reason('😀'.repeat(256))).toBeUndefined();
  });

  it('counts code points, not UTF-16 units', async () => {
    expect(await reason('😀'.repeat(11))).toMatch(/at least 12/);
    expect(await reason('😀'.repeat(257))).toMatch(/at most 256/);
  });

  it('refuses short and long passwords', async () => {
    expect(await reason('short')).toMatch(/at least 12/);
    expect(await reason('x'.repeat(257))).toMatch(/at most 256/);
  });

  it('refuses passwords built from the address or the product name', async () => {
    expect(await reason('my-Alice.Smith-password')).toMatch(/email/);
    expect(await reason('I love GateHouse 2026')).toMatch(/product/);
  });

  it('refuses common passwords from a list of at least 10,000, in any letter case', async () => {
    const { default: list } = await import('@zxcvbn-ts/language-common/dist/passwords.json.mjs');
    expect(list.length).toBeGreaterThanOrEqual(10_000);
    expect(await isCommonPassword('password1234')).toBe(true);
    expect(await reason('PasswordPassword')).toBe('is one of the most common passwords; choose another');
    expect(await reason('1qaz2wsx3edc4rfv')).toBe('is one of the most common passwords; choose another');
    expect(await reason('correct horse battery staple')).toBeUndefined();
  });
});
