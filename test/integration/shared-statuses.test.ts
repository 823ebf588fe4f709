// The statuses the OpenAPI document gives every operation that takes a body or a key (from the
// shared middleware: lib/http/body.ts, lib/http/auth.ts), produced on each such operation: a wrong
// media type, a body over 16 KiB, an unknown field, no key, a malformed Authorization header, a
// read-only key on anything but a GET, a suspended account's key anywhere but its own deletion.
// Each is refused before the endpoint's own code runs, and changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SUSPENDED } from '#domain/messages.ts';
import document from '../../functions/openapi.json' with { type: 'json' };
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { createdKey } from '../support/keys.ts';
import { suspended } from '../support/suspension.ts';
import { allItems } from '../support/table.ts';

interface Operation {
  security: Record<string, unknown>[];
  responses: Record<string, { description: string }>;
  requestBody?: { content: Record<string, unknown> };
}
const operations = Object.entries(
  document.paths as unknown as Record<string, Record<string, Operation>>,
).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);
const keyed = (op: Operation) => op.security.some((s) => 'apiKey' in s);
// A path parameter filled with something of the right shape; never reached past the middleware.
const concrete = (path: string) => path.replace(/\{\w+\}/g, 'k_0123456789abcdef');

let key = '';
let readKey = '';
let suspendedKey = '';
beforeAll(async () => {
  key = await activeAccount(newEmail());
  readKey = (await createdKey(key, { scope: 'read' })).key;
  const suspendedEmail = newEmail('suspended');
  suspendedKey = await activeAccount(suspendedEmail);
  await suspended(suspendedEmail);
  // The keys' first use is recorded (once an hour), refused or not: done here, so nothing below writes.
  for (const [k, status] of [
    [key, 200],
    [readKey, 200],
    [suspendedKey, 403],
  ] as const)
    expect((await call('GET', '/api/users', { headers: { authorization: `Bearer ${k}` } })).status).toBe(
      status,
    );
});

async function expectRefused(res: Response, status: number) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(Object.keys((await res.json()) as object)).toEqual(['errors']);
}

describe.each(operations.filter((o) => o.op.requestBody))(
  '$method $path, a bad body',
  ({ method, path, op }) => {
    const mediaType = Object.keys(op.requestBody?.content ?? {})[0] ?? '';
    // The key exists only once beforeAll has run: read it when sending.
    const send = (body: string, type = mediaType) =>
      call(method, concrete(path), {
        body,
        headers: { ...(keyed(op) ? { authorization: `Bearer ${key}` } : {}), 'content-type': type },
      });
    const encode = (fields: Record<string, string>) =>
      mediaType === 'application/json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString();

    it('of another media type → 415; too large → 413; an unknown field → 400; nothing written', async () => {
      const before = await allItems();
      await expectRefused(await send(encode({ x: '1' }), 'text/plain'), 415);
      await expectRefused(await send(encode({ pad: 'x'.repeat(17 * 1024) })), 413);
      await expectRefused(await send(encode({ not_a_field: '1' })), 400);
      expect(await allItems()).toEqual(before);
    });
  },
);

describe.each(operations.filter((o) => keyed(o.op)))('$method $path, no good key', ({ method, path }) => {
  it('no key → 401; a malformed Authorization header → 400; nothing written', async () => {
    const before = await allItems();
    await expectRefused(await call(method, concrete(path)), 401);
    await expectRefused(
      await call(method, concrete(path), { headers: { authorization: 'Basic not*base64' } }),
      400,
    );
    expect(await allItems()).toEqual(before);
  });
});

describe.each(operations.filter((o) => keyed(o.op) && o.method !== 'GET'))(
  '$method $path, a read-only key',
  ({ method, path }) => {
    it('→ 403 saying the key can only read; nothing written', async () => {
      const before = await allItems();
      const res = await call(method, concrete(path), {
        body: '{}',
        headers: { authorization: `Bearer ${readKey}`, 'content-type': 'application/json' },
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        errors: {
          '': [
            'This API key can only read (scope read): it may send GET requests and nothing else. Use a full key for changes.',
          ],
        },
      });
      expect(await allItems()).toEqual(before);
    });
  },
);

// The document says which operations refuse a suspended account (all but deletion's): each does.
const refusesSuspended = (op: Operation) => op.responses['403']?.description.includes('suspended') ?? false;

it('documents the suspension on every keyed operation but the deletion', () => {
  expect(
    operations.filter((o) => keyed(o.op) && !refusesSuspended(o.op)).map((o) => `${o.method} ${o.path}`),
  ).toEqual(['DELETE /api/users/destroy']);
});

describe.each(operations.filter((o) => keyed(o.op) && refusesSuspended(o.op)))(
  "$method $path, a suspended account's key",
  ({ method, path }) => {
    it('→ 403 saying the account is suspended; nothing written', async () => {
      const before = await allItems();
      const res = await call(method, concrete(path), {
        ...(method === 'GET' ? {} : { body: '{}' }),
        headers: { authorization: `Bearer ${suspendedKey}`, 'content-type': 'application/json' },
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ errors: { '': [ACCOUNT_SUSPENDED] } });
      expect(await allItems()).toEqual(before);
    });
  },
);
