import { describe, expect, it } from 'vitest';
import { checkNotDisposable, isDisposableDomain } from '#domain/disposable.ts';
import { ValidationError } from '#domain/errors.ts';

describe('disposable mail domains', () => {
  it('are recognised, and so are their subdomains', () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('MAILINATOR.com')).toBe(true);
    expect(isDisposableDomain('team.mailinator.com')).toBe(true);
    expect(isDisposableDomain('a.b.guerrillamail.com')).toBe(true);
  });

  it('leave ordinary domains alone, including look-alikes', () => {
    expect(isDisposableDomain('example.com')).toBe(false);
    expect(isDisposableDomain('gmail.com')).toBe(false);
    expect(isDisposableDomain('mailinator.com.example.org')).toBe(false);
    expect(isDisposableDomain('com')).toBe(false);
  });

  it('are refused with a clear message under the field', () => {
    expect(() => checkNotDisposable('bob@mailinator.com', 'next_email')).toThrowError(
      new ValidationError('next_email', 'is a disposable address; use one you will keep'),
    );
    expect(() => checkNotDisposable('bob@example.com')).not.toThrow();
  });
});
