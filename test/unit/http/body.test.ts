import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateKey, optionalString, string, validate } from '#http/body.ts';

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

describe('validate', () => {
  const schema = { name: string(3), note: optionalString(2) };

  it('counts lengths in code points, as the OpenAPI document says (maxLength)', () => {
    expect(validate(schema, { name: '😀😀😀' })).toEqual({ name: '😀😀😀' });
    expect(() => validate(schema, { name: '😀😀😀😀' })).toThrowError(/at most 3 character/);
  });

  it('takes null for an optional field as its absence, and refuses it for a required one', () => {
    expect(validate(schema, { name: 'abc', note: null })).toEqual({ name: 'abc' });
    expect(() => validate(schema, { name: null })).toThrowError(/blank/);
  });
});
