import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '#domain/email.ts';
import { ValidationError } from '#domain/errors.ts';

describe('normalizeEmail', () => {
  it('trims and lower-cases the whole address', () => {
    expect(normalizeEmail('  Alice.Smith+Tag@Example.COM ')).toBe('alice.smith+tag@example.com');
  });

  it('accepts the printable ASCII an address may hold', () => {
    expect(normalizeEmail("o'brien+tag_1!#$%&*/=?^`{|}~@mail.example.co.uk")).toBe(
      "o'brien+tag_1!#$%&*/=?^`{|}~@mail.example.co.uk",
    );
    expect(normalizeEmail('first.last@xn--bcher-kva.example')).toBe('first.last@xn--bcher-kva.example');
  });

  it.each([
    '',
    'no-at-sign',
    '@example.com',
    'alice@',
    'alice@localhost',
    'alice@example.c',
    'alice@exa mple.com',
    'al ice@example.com',
    'alice@-example.com',
    'alice@example..com',
    '"quoted"@example.com',
    `${'a'.repeat(65)}@example.com`,
    `a@${'b'.repeat(250)}.com`,
    '.alice@example.com',
    'alice.@example.com',
    'al..ice@example.com',
    'a\u0000b@example.com',
    'a\u200bb@example.com',
    'jos\u00e9@example.com',
    'alice@ex\u00e4mple.com',
  ])('rejects %j with a field error', (input) => {
    expect(() => normalizeEmail(input)).toThrowError(ValidationError);
    try {
      normalizeEmail(input, 'next_email');
    } catch (err) {
      expect((err as ValidationError).field).toBe('next_email');
    }
  });
});
