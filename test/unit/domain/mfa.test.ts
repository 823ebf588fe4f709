import { type TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  newRecoveryCodes,
  newTotpSecret,
  parseSecondFactor,
  RECOVERY_CODE_COUNT,
  recoveryCodeDigest,
} from '#domain/mfa.ts';
import { matchTotp, otpauthUrl, totpCode, totpStep } from '#domain/totp.ts';

// RFC 6238, appendix B: the SHA-1 key "12345678901234567890".
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors (SHA-1, last six digits)', () => {
    // 8-digit vectors 94287082, 07081804, 14050471 at 59 s, 1111111109 s, 1111111111 s.
    expect(totpCode(RFC_SECRET, totpStep(59_000))).toBe('287082');
    expect(totpCode(RFC_SECRET, totpStep(1_111_111_109_000))).toBe('081804');
    expect(totpCode(RFC_SECRET, totpStep(1_111_111_111_000))).toBe('050471');
  });

  it('makes a 160-bit secret and an otpauth URI that an authenticator app reads back', () => {
    const secret = newTotpSecret();
    expect(secret).toHaveLength(20);
    const url = otpauthUrl(secret, 'ada+mfa@example.com');
    expect(url).toMatch(/^otpauth:\/\/totp\/Gatehouse:ada%2Bmfa%40example\.com\?/);
    const params = new URL(url).searchParams;
    expect(Object.fromEntries(params)).toEqual({
      issuer: 'Gatehouse',
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    const app = URI.parse(url) as TOTP;
    expect(new Uint8Array(app.secret.buffer)).toEqual(secret);
    expect(app.generate({ timestamp: 1_700_000_000_000 })).toBe(
      totpCode(secret, totpStep(1_700_000_000_000)),
    );
  });

  it('accepts one step of clock skew either way and refuses two', () => {
    const secret = newTotpSecret();
    const at = 1_800_000_000_000;
    const now = totpStep(at);
    const result = (offset: number) => matchTotp(secret, totpCode(secret, now + offset), at);
    expect(result(0)).toBe(now);
    expect(result(-1)).toBe(now - 1);
    expect(result(1)).toBe(now + 1);
    expect(result(-2)).toBeUndefined();
    expect(result(2)).toBeUndefined();
  });

  it('refuses a code of another secret, and anything but six digits', () => {
    const other = new TextEncoder().encode('another secret of 20b');
    const at = 1_800_000_000_000;
    const theirs = totpCode(other, totpStep(at));
    // Fixed inputs: the other secret's code is none of ours around `at`.
    expect([-1, 0, 1].map((d) => totpCode(RFC_SECRET, totpStep(at) + d))).not.toContain(theirs);
    expect(matchTotp(RFC_SECRET, theirs, at)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, `${totpCode(RFC_SECRET, totpStep(at))}0`, at)).toBeUndefined();
    expect(matchTotp(RFC_SECRET, '', at)).toBeUndefined();
  });
});

describe('recovery codes', () => {
  it('makes ten different codes of 80 bits, grouped for reading', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
  });

  it('reads a code back however it is typed', () => {
    const [code] = newRecoveryCodes() as [string];
    const digest = recoveryCodeDigest('user-1', code);
    expect(recoveryCodeDigest('user-1', code.toUpperCase())).toBe(digest);
    expect(recoveryCodeDigest('user-1', code.replaceAll('-', ' '))).toBe(digest);
    expect(recoveryCodeDigest('user-1', code.replaceAll('-', ''))).toBe(digest);
    // Letters people misread for digits.
    expect(parseSecondFactor('0o1l-1i00-abcd-efgh')).toEqual({ kind: 'recovery', code: '00111100abcdefgh' });
  });

  it('stores a digest that differs from account to account', () => {
    const [code] = newRecoveryCodes() as [string];
    expect(recoveryCodeDigest('user-1', code)).toMatch(/^[0-9a-f]{64}$/);
    expect(recoveryCodeDigest('user-1', code)).not.toBe(recoveryCodeDigest('user-2', code));
  });
});

describe('parseSecondFactor', () => {
  it('tells a TOTP code from a recovery code, and refuses the rest', () => {
    expect(parseSecondFactor(' 123 456 ')).toEqual({ kind: 'totp', code: '123456' });
    expect(parseSecondFactor('abcd-efgh-jkmn-pqrs')).toEqual({ kind: 'recovery', code: 'abcdefghjkmnpqrs' });
    for (const bad of ['12345', '1234567', 'abcd-efgh-jkmn-pqr', 'abcd-efgh-jkmn-pqru', '', '!!!!!!']) {
      expect(parseSecondFactor(bad)).toEqual({ kind: 'malformed' });
    }
  });
});
