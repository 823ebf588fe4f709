import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateKey } from '../../../functions/lib/http/body.ts';

describe('duplicateKey', () => {
  it.each([
    ['{"a":"1","a":"2"}', 'a'],
    ['{"a":"1","\\u0061":"2"}', 'a'],
    ['{"x":{"b":1,"b":2}}', 'b'],
    ['[{"c":1},{"c":2,"c":3}]', 'c'],
    [' { "email" : "x" , "email" : "y" } ', 'email'],
  ])('finds the repeat in %s', (text, key) => {
    expect(duplicateKey(text)).toBe(key);
  });

  it.each([
    '{"a":"1","b":"a"}',
    '{"a":{"a":1}}',
    '[{"a":1},{"a":2}]',
    '{"a":"\\"a\\":","b":["a","a"]}',
    '"a"',
    '[]',
  ])('finds none in %s', (text) => {
    expect(duplicateKey(text)).toBeUndefined();
  });

  it('agrees with JSON.parse on any JSON without repeats', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(duplicateKey(text)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
