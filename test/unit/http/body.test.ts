import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApp } from '#http/app.ts';
import {
  choice,
  duplicateKey,
  formBody,
  optionalInteger,
  optionalString,
  string,
  validate,
} from '#http/body.ts';

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

describe('validate, whole numbers and choices', () => {
  const schema = { days: optionalInteger(1, 365), scope: choice(['full', 'read']) };

  it('takes a JSON number in range and one of the values', () => {
    expect(validate(schema, { days: 1, scope: 'read' })).toEqual({ days: 1, scope: 'read' });
    expect(validate(schema, { days: 365, scope: 'full' })).toEqual({ days: 365, scope: 'full' });
    expect(validate(schema, { scope: 'full' })).toEqual({ scope: 'full' });
  });

  it.each([
    [{ days: 0, scope: 'read' }, { days: ['must be from 1 to 365'] }],
    [{ days: 366, scope: 'read' }, { days: ['must be from 1 to 365'] }],
    [{ days: 2.5, scope: 'read' }, { days: ['must be a whole number'] }],
    [{ days: '30', scope: 'read' }, { days: ['must be a whole number'] }],
    [{ days: true, scope: 'read' }, { days: ['must be a whole number'] }],
    [{ scope: 'READ' }, { scope: ['must be one of: full, read'] }],
    [{ scope: 'read-write-everything' }, { scope: ['must be one of: full, read'] }],
    [{ scope: 7 }, { scope: ['must be a string'] }],
    [{}, { scope: ["can't be blank"] }],
  ])('refuses %j', (input, errors) => {
    expect(() => validate(schema, input)).toThrow(expect.objectContaining({ status: 400, errors }));
  });
});

describe('formBody', () => {
  const app = createApp().post('/f', formBody({ name: string(20), promo: optionalString(20) }), (c) =>
    c.json({ data: c.var.body }),
  );
  const send = (body: string) =>
    app.request('/f', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  it('takes an optional field a browser sent empty as not given, a required one as blank', async () => {
    expect(await (await send('name=a&promo=')).json()).toEqual({ data: { name: 'a' } });
    expect(await (await send('name=a&promo=X')).json()).toEqual({ data: { name: 'a', promo: 'X' } });
    const blank = await send('name=&promo=');
    expect(blank.status).toBe(400);
    expect(await blank.json()).toEqual({ errors: { name: ["can't be blank"] } });
    expect((await send('name=a&promo=&extra=')).status).toBe(400);
  });
});
