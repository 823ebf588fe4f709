// Hundreds of malformed requests to every route of the route table: each answer is a 4xx with the
// documented error body (the HTML page's own for GET /confirm-email), never a 5xx, and the table
// is still empty at the end. fast-check prints the seed and the smallest failing request.
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { normalizeEmail } from '#domain/email.ts';
import { routes } from '../../functions/routes.ts';
import { call } from '../support/flows.ts';
import { useFakeStripe } from '../support/stripe.ts';
import { allItems } from '../support/table.ts';

const RUNS = 200;

// The response floors (signup, resend, reset, and login's failures) only hold an answer back; in
// this file they are zero, so 200 runs against GET /api/login take seconds, not a minute of
// waiting. Every other layer runs as deployed. The floors themselves are asserted where they
// matter: test/integration/enumeration.test.ts (each answer no sooner than the floor, and no
// timing tell) and test/unit/http/timing.test.ts.
vi.mock(import('#http/timing.ts'), async (importOriginal) => {
  const timing = await importOriginal();
  return {
    ...timing,
    withFloor: (work) => timing.withFloor(work, 0),
    responseFloor: () => timing.responseFloor(0),
    failureFloor: () => timing.failureFloor(0),
  };
});

/** A header set with `name` only when there is a value (an empty content type means none). */
const header = (name: string, value: string | undefined): Record<string, string> =>
  value ? { [name]: value } : {};

interface Attempt {
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly query?: string;
}

// Never empty: an empty body is an absent one, which routes whose body is optional take as `{}`.
const notJson = fc.string({ minLength: 1, maxLength: 200 }).filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});
const knownFields = fc.constantFrom('email', 'password', 'token', 'next_email', 'current_password');
const strangeKeys = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' email', 'Email'),
  fc.string({ maxLength: 20 }).map((s) => `x_${s}`),
);
const nonString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object());
/** An object that is certainly invalid: one poisoned entry among maybe-valid ones. */
const badObject = fc
  .tuple(
    fc.dictionary(knownFields, fc.string({ minLength: 1, maxLength: 30 }), { maxKeys: 3 }),
    fc.oneof(
      fc.tuple(strangeKeys, fc.jsonValue()),
      fc.tuple(knownFields, nonString),
      fc.tuple(knownFields, fc.constant('x'.repeat(1200))),
      fc.tuple(knownFields, fc.constant('')),
    ),
  )
  .map(([fields, [key, value]]) => {
    const entries = Object.entries(fields).filter(([k]) => k !== key);
    return `{${[...entries, [key, value]].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v ?? null)}`).join(',')}}`;
  });
const jsonType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON');
const wrongType = fc.constantFrom(
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'json',
  '',
);

const jsonAttempt: fc.Arbitrary<Attempt> = fc
  .oneof(
    fc.record({ type: jsonType, body: notJson }),
    fc.record({
      type: jsonType,
      body: fc
        .oneof(fc.array(fc.jsonValue()), fc.string(), fc.integer(), fc.constant(null))
        .map((v) => JSON.stringify(v)),
    }),
    fc.record({ type: jsonType, body: badObject }),
    fc.record({
      type: jsonType,
      body: fc.constantFrom('{"email":"a@b.co","email":"a@b.co"}', '{"token":"a","token":"b"}'),
    }),
    fc.record({
      type: jsonType,
      body: fc.constant(JSON.stringify({ email: 'a@example.com', pad: 'x'.repeat(17_000) })),
    }),
    fc.record({ type: wrongType, body: fc.oneof(badObject, fc.constant('{"email":"a@example.com"}')) }),
  )
  .map(({ type, body }): Attempt => ({ headers: header('content-type', type), body }));

const notAnEmail = fc.string({ maxLength: 40 }).filter((s) => {
  try {
    normalizeEmail(s);
    return false;
  } catch {
    return true;
  }
});
const b64 = (s: string) => Buffer.from(s).toString('base64');
const badAuthorization = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 60 }).map((s) => `Basic ${s}`),
  fc
    .string({ maxLength: 60 })
    .filter((s) => !s.includes(':'))
    .map((s) => `Basic ${b64(s)}`),
  fc.tuple(notAnEmail, fc.string({ maxLength: 40 })).map(([e, p]) => `Basic ${b64(`${e}:${p}`)}`),
  fc.string({ maxLength: 60 }).map((s) => `Bearer ${s.replace(/\s/g, '')}x`),
  fc.constantFrom('Digest abc', 'Basic', 'Bearer', `Bearer ${'a'.repeat(9000)}`),
);
const getAttempt: fc.Arbitrary<Attempt> = fc.record({
  headers: fc.option(badAuthorization, { nil: undefined }).map((a) => header('authorization', a)),
  query: fc.constantFrom('', '?mfa_token=123456', '?api_key=gh_key_x', '?x=%zz'),
});

const notAToken = fc.oneof(
  fc.constant(''),
  fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/^[A-Za-z0-9_-]{1,128}$/.test(s)),
  fc.constant('a'.repeat(129)),
);
const pageGetAttempt: fc.Arbitrary<Attempt> = notAToken.map((t) => ({
  headers: {},
  query: `?token=${encodeURIComponent(t)}`,
}));
const formAttempt: fc.Arbitrary<Attempt> = fc.oneof<fc.Arbitrary<Attempt>[]>(
  fc.record({
    headers: fc.constant({ 'content-type': 'application/json' }),
    body: fc.constant('{"token":"abc"}'),
  }),
  fc.record({
    headers: wrongType.map((t) => header('content-type', t)),
    body: fc.constant('token=abc'),
  }),
  fc.record({
    headers: fc.constant({ 'content-type': 'application/x-www-form-urlencoded' }),
    body: fc.oneof(
      fc.constant(''),
      fc.constant(`token=${'a'.repeat(129)}`),
      fc
        .tuple(strangeKeys, fc.string())
        .map(([k, v]) => new URLSearchParams({ token: 'abc', [k]: v }).toString()),
    ),
  }),
);

function attemptsFor(method: string, path: string): fc.Arbitrary<Attempt> {
  if (method === 'GET') return path.startsWith('/api/') ? getAttempt : pageGetAttempt;
  return path.startsWith('/api/') ? jsonAttempt : formAttempt;
}

// Stripe configured (its stand-in), so the webhook judges its input rather than answering 501.
useFakeStripe();

afterAll(async () => {
  // Nothing any malformed request did left a trace.
  expect(await allItems()).toEqual([]);
});

/** The forms that take no fields at all. */
const NO_FIELDS = new Set(['/console/login/google']);
const isForm = (attempt: Attempt) =>
  /^application\/x-www-form-urlencoded/.test(
    Object.entries(attempt.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '',
  );

describe('malformed requests to every route', () => {
  // The public configuration and the OpenAPI document take no input at all: nothing to malform.
  const cases = routes
    .filter((r) => r.id !== 'public-config' && r.id !== 'openapi')
    .flatMap((r) => r.methods.map((m) => [`${m} ${r.path}`, m, r.path] as const))
    // The console's pages take no input but their cookie (console-home.test.ts ends bad sessions).
    .filter(([, method, path]) => !(method === 'GET' && path.startsWith('/console')));

  it.each(cases)(
    '%s: always a 4xx with the error body, never a write',
    { timeout: 120_000 },
    async (_name, method, path) => {
      await fc.assert(
        fc.asyncProperty(attemptsFor(method, path), async (attempt) => {
          // A form of no fields (the Google button's): an empty form is its own post, not a malformed one.
          fc.pre(!(NO_FIELDS.has(path) && attempt.body === '' && isForm(attempt)));
          const res = await call(method, `${path}${attempt.query ?? ''}`, {
            headers: attempt.headers,
            ...(attempt.body !== undefined ? { body: attempt.body } : {}),
          });
          const text = await res.text();
          expect(res.status, text).toBeGreaterThanOrEqual(400);
          expect(res.status, text).toBeLessThan(500);
          expect(res.headers.get('cache-control')).toBe('no-store');
          // The console's form answers its own refusals with a page; a malformed form gets the error body.
          if (
            path.startsWith('/console') &&
            /^text\/html; charset=utf-8/i.test(res.headers.get('content-type') ?? '')
          )
            return;
          if (method === 'GET' && !path.startsWith('/api/')) {
            expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i);
            return;
          }
          expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
          const body = JSON.parse(text) as { errors: Record<string, unknown> };
          expect(Object.keys(body)).toEqual(['errors']);
          const messages = Object.values(body.errors);
          expect(messages.length).toBeGreaterThan(0);
          for (const list of messages) {
            expect(Array.isArray(list) && list.length > 0 && list.every((m) => typeof m === 'string')).toBe(
              true,
            );
          }
        }),
        { numRuns: RUNS },
      );
    },
  );
});
