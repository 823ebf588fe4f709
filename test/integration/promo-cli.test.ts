// The operator command `npm run promo`, run as an operator runs it, against this file's table.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getPromo } from '#data/promos.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const promo = (...args: string[]) =>
  spawnSync('npm', ['run', '--silent', 'promo', '--', ...args], {
    cwd: ROOT,
    env: process.env,
    encoding: 'utf8',
  });

describe('npm run promo', () => {
  it('creates a code, refuses it twice, and lists it', async () => {
    const code = `OPS${Date.now().toString(36).toUpperCase()}`;
    const created = promo('create', code.toLowerCase(), '--credit-cents', '500', '--uses', '100');
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout.trim()).toBe(`Created promo ${code}: 500 cents of credit, 100 use(s)`);
    expect(await getPromo(code)).toMatchObject({ code, creditCents: 500, remainingUses: 100 });

    const again = promo('create', code, '--credit-cents', '1', '--uses', '1');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`Promo ${code} exists already`);

    const listed = promo('list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${code}\\t500 cents\\t100 use\\(s\\) left`, 'm'));
  });

  it('explains its usage and refuses bad numbers', () => {
    expect(promo('frobnicate').status).toBe(2);
    const bad = promo('create', 'GOODCODE', '--credit-cents=-5', '--uses', '1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--credit-cents must be a whole number of at least 1');
    const ambiguous = promo('create', 'GOODCODE', '--credit-cents', '-5', '--uses', '1');
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toContain('Usage: npm run promo');
    expect(ambiguous.stderr).not.toContain('    at ');
  });
});
