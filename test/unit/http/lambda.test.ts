// #http/lambda.ts stands in for hono/aws-lambda on the one event the functions get (API Gateway's
// HTTP API, payload 2.0): here both handle the same events with the same app, and must answer
// alike, down to what the app saw of the request.
import { Hono } from 'hono';
import { handle as honoHandle } from 'hono/aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type HttpApiEvent, handle } from '#http/lambda.ts';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 254, 255]);

/** Echoes what it was given, or answers as `?answer=` asks, so that both sides of the answer show. */
const app = new Hono().all('*', async (c) => {
  const env = c.env as { event: unknown; requestContext: unknown; lambdaContext: unknown };
  const seen = {
    method: c.req.method,
    url: c.req.url,
    headers: [...c.req.raw.headers],
    body: c.req.method === 'GET' ? null : Buffer.from(await c.req.arrayBuffer()).toString('base64'),
    event: env.event,
    requestContext: env.requestContext,
    lambdaContext: env.lambdaContext,
  };
  switch (c.req.query('answer')) {
    case 'html':
      return c.html('<p>café ☕</p>');
    case 'css':
      return c.body('p{color:red}', 200, { 'Content-Type': 'text/css; charset=utf-8' });
    case 'svg':
      return c.body('<svg xmlns="http://www.w3.org/2000/svg"/>', 200, { 'Content-Type': 'image/svg+xml' });
    case 'png':
      return c.body(PNG, 200, { 'Content-Type': 'image/png' });
    case 'gzip':
      return c.body(PNG, 200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    case 'cookies':
      c.header('Set-Cookie', 'a=1; Path=/; HttpOnly', { append: true });
      c.header('Set-Cookie', 'b=2; Path=/; Secure', { append: true });
      return c.json(seen);
    case 'redirect':
      c.header('Vary', 'Cookie');
      c.header('Vary', 'Origin', { append: true });
      return c.redirect('/console/keys', 303);
    case 'empty':
      return c.body(null, 204);
    default:
      return c.json(seen, 201);
  }
});

const event = (overrides: Partial<HttpApiEvent> & { method?: string } = {}): HttpApiEvent => {
  const { method = 'GET', ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/api/users',
    rawQueryString: '',
    headers: { host: 'api.example.com', 'user-agent': 'gigalixir-cli/1.0', accept: '*/*' },
    requestContext: {
      domainName: 'api.example.com',
      http: { method, path: '/api/users', sourceIp: '203.0.113.9' },
    },
    isBase64Encoded: false,
    ...rest,
  } as HttpApiEvent;
};

const form = 'email=a%40b.co&password=caf%C3%A9';
const cases: Record<string, HttpApiEvent> = {
  'a GET with a query and cookies': event({
    rawQueryString: 'x=1&y=%20two&x=3',
    cookies: ['gh_session=abc', 'gh_csrf=def'],
  }),
  'a JSON body': event({
    method: 'POST',
    headers: { host: 'api.example.com', 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'zoë@example.com', password: 'pässwörd' }),
  }),
  'a form, base64 as the HTTP API sends it': event({
    method: 'POST',
    rawPath: '/console/login',
    headers: { host: 'api.example.com', 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(form).toString('base64'),
    isBase64Encoded: true,
  }),
  'every byte, base64': event({
    method: 'POST',
    headers: { host: 'api.example.com', 'content-type': 'application/octet-stream' },
    body: Buffer.from(Uint8Array.from({ length: 256 }, (_, i) => i)).toString('base64'),
    isBase64Encoded: true,
  }),
  'an empty body': event({ method: 'POST', body: '' }),
  'header values past ASCII': event({
    headers: { host: 'api.example.com', 'x-name': 'naïve ☃', 'x-plain': 'plain', 'x-empty': '' },
  }),
  'no domain name but a Host header': event({
    headers: { host: 'accounts.example.com' },
    requestContext: { http: { method: 'GET', sourceIp: '203.0.113.9' } },
  }),
  'a GET with a body (no request can be made of it)': event({ body: 'x' }),
  ...Object.fromEntries(
    ['html', 'css', 'svg', 'png', 'gzip', 'cookies', 'redirect', 'empty'].map((answer) => [
      `an answer of kind ${answer}`,
      event({ rawQueryString: `answer=${answer}` }),
    ]),
  ),
};

describe('handle (the Lambda adapter)', () => {
  const ours = handle(app);
  const hono = honoHandle(app);
  const context = { awsRequestId: 'req-1', functionName: 'login' };
  // Both log the event no request can be made of: Hono with console.error.
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });

  for (const [name, e] of Object.entries(cases))
    it(`answers ${name} as hono/aws-lambda does`, async () => {
      const expected = await hono(e as never, context as never);
      const actual = await ours(e, context);
      expect(actual).toEqual(expected);
    });

  it('gives the app the event, its request context and the Lambda context', async () => {
    const e = cases['a form, base64 as the HTTP API sends it'] as HttpApiEvent;
    const res = await ours(e, context);
    expect(res.statusCode).toBe(201);
    const seen = JSON.parse(res.body);
    expect(Buffer.from(seen.body, 'base64').toString()).toBe(form);
    expect(seen.headers).toContainEqual(['content-length', String(form.length)]);
    expect(seen.event).toEqual(e);
    expect(seen.requestContext).toEqual(e.requestContext);
    expect(seen.lambdaContext).toEqual(context);
    expect(seen.url).toBe('https://api.example.com/console/login');
  });

  it('answers cookies apart from the headers, each whole', async () => {
    const res = await ours(cases['an answer of kind cookies'] as HttpApiEvent, context);
    expect(res.cookies).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; Secure']);
    expect(res.headers['set-cookie']).toBeUndefined();
    const plain = await ours(cases['a GET with a query and cookies'] as HttpApiEvent, context);
    expect(plain).not.toHaveProperty('cookies');
    expect(JSON.parse(plain.body).headers).toContainEqual(['cookie', 'gh_session=abc; gh_csrf=def']);
  });

  it('answers a binary body in base64 and text as it is', async () => {
    const png = await ours(cases['an answer of kind png'] as HttpApiEvent, context);
    expect(png.isBase64Encoded).toBe(true);
    expect(new Uint8Array(Buffer.from(png.body, 'base64'))).toEqual(PNG);
    const html = await ours(cases['an answer of kind html'] as HttpApiEvent, context);
    expect(html).toMatchObject({ isBase64Encoded: false, body: '<p>café ☕</p>' });
  });

  it('answers 400 to an event no request can be made of, without calling the app', async () => {
    const res = await ours(
      cases['a GET with a body (no request can be made of it)'] as HttpApiEvent,
      context,
    );
    expect(res).toMatchObject({ statusCode: 400, body: 'Invalid request' });
  });
});
