import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '#http/auth.ts';
import { HttpError } from '#http/errors.ts';
import { basic } from '../../support/http.ts';

describe('parseAuthorization', () => {
  it('percent-decodes both parts of Basic credentials', () => {
    expect(parseAuthorization(basic('foo@x.com', 'p@ss:word %'))).toEqual({
      scheme: 'basic',
      email: 'foo@x.com',
      secret: 'p@ss:word %',
    });
  });

  it('takes a part that is not valid percent-encoding as it is', () => {
    const header = `Basic ${Buffer.from('me@x.com:100%sure').toString('base64')}`;
    expect(parseAuthorization(header)).toEqual({ scheme: 'basic', email: 'me@x.com', secret: '100%sure' });
  });

  it('takes a Bearer key', () => {
    expect(parseAuthorization('Bearer gh_key_abc')).toEqual({ scheme: 'bearer', secret: 'gh_key_abc' });
  });

  it('is undefined without a header', () => {
    expect(parseAuthorization(undefined)).toBeUndefined();
    expect(parseAuthorization('  ')).toBeUndefined();
  });

  it.each([
    ['an unknown scheme', 'Digest abc'],
    ['a scheme without value', 'Basic'],
    ['extra parts', 'Bearer a b'],
    ['Basic that is not base64', 'Basic ***'],
    ['Basic without a colon', `Basic ${Buffer.from('no-colon').toString('base64')}`],
    ['an oversized header', `Bearer ${'a'.repeat(9000)}`],
  ])('refuses %s with a 400', (_name, header) => {
    let thrown: unknown;
    try {
      parseAuthorization(header);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect((thrown as HttpError).status).toBe(400);
  });
});
