// data/document.ts turns items into DynamoDB's wire format and back in place of util-dynamodb:
// held here to util-dynamodb's answers (with `removeUndefinedValues`, as lib-dynamodb was set up),
// value for value, on what the table holds and on seeded random nestings of it. Refusals too:
// what util-dynamodb refuses to write (NaN, an empty set, a class instance, ...), ours refuses.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { fromItem, toItem } from '#data/document.ts';

const OPTIONS = { removeUndefinedValues: true } as const;

/** Kinds of value the table holds, and their edges. */
const SCALARS: unknown[] = [
  '',
  'alice@example.com',
  'ünïcödé ✓ 🔑',
  0,
  -0,
  1,
  -42,
  3.25,
  1e-7,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  true,
  false,
  null,
  10n ** 30n,
  new Uint8Array([0, 1, 255]),
  new Set(['a', 'b']),
  new Set([1, 2.5, -3]),
];

/** A seeded generator, so that a failure names a case that comes back. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function value(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.55) return SCALARS[Math.floor(next() * SCALARS.length)];
  if (pick < 0.65) return undefined;
  if (pick < 0.8) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  return item(next, depth + 1);
}

function item(next: () => number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) out[`k${Math.floor(next() * 100)}`] = value(next, depth);
  return out;
}

const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch {
    return 'refused';
  }
};

describe('items to the wire format and back, as util-dynamodb does', () => {
  it.each(SCALARS.map((v) => [Object.prototype.toString.call(v), v] as const))('%s', (_kind, v) => {
    const wire = marshall({ v, gone: undefined }, OPTIONS);
    expect(toItem({ v, gone: undefined })).toEqual(wire);
    expect(fromItem(wire)).toEqual(unmarshall(wire));
  });

  it('a profile as the table holds it', () => {
    const profile = {
      pk: 'USER#u1',
      sk: 'PROFILE',
      email: 'alice@example.com',
      version: 7,
      mfaEnabled: false,
      recoveryCodes: new Set(['d1', 'd2']),
      stripeCustomerId: undefined,
      limits: { apps: 3, credits: 0.5, names: ['a', undefined, 'b'] },
      deletedAt: null,
    };
    expect(toItem(profile)).toEqual(marshall(profile, OPTIONS));
    expect(fromItem(toItem(profile))).toEqual(unmarshall(marshall(profile, OPTIONS)));
  });

  it('seeded random nestings of them', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const it = item(next);
      const theirs = outcome(() => marshall(it, OPTIONS));
      expect(
        outcome(() => toItem(it)),
        `seed ${seed}`,
      ).toEqual(theirs);
      if (typeof theirs === 'object') {
        const wire = (theirs as { value: Record<string, AttributeValue> }).value;
        expect(fromItem(wire), `seed ${seed}`).toEqual(unmarshall(wire));
      }
    }
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a number past the safe integers', 2 ** 60],
    ['an empty set', new Set()],
    ['a set of objects', new Set([{}])],
    ['a date', new Date(0)],
    ['a class instance', new (class Thing {})()],
    ['a symbol', Symbol('s')],
  ])('refuses %s, as util-dynamodb does', (_name, v) => {
    expect(() => marshall({ v }, OPTIONS)).toThrow();
    expect(() => toItem({ v })).toThrow();
  });

  it('reads numbers past the safe integers as bigints, as util-dynamodb does', () => {
    const wire = { n: { N: '123456789012345678901234567890' } };
    expect(fromItem(wire)).toEqual(unmarshall(wire));
    expect(fromItem(wire).n).toBe(123456789012345678901234567890n);
  });
});
