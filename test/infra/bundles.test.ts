// The real packaging, through the real CLI: `npx cdk synth` as a developer runs it (offline, with
// cdk.json's context), each function bundled as `cdk deploy` bundles it, then loaded as Lambda
// loads it and invoked with an API Gateway HTTP API event.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIST_FILES } from '../../functions/lib/domain/lists.ts';
import { ROUTE_STACKS, routes } from '../../functions/routes.ts';
import { deletionSteps } from '../../functions/workflows/steps.ts';
import { PUBLISHER } from '../../infra/events.ts';
import { PLATFORM_FUNCTIONS } from '../../infra/platform.ts';

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

const ROOT = resolve(import.meta.dirname, '../..');

const event = (method: string, path: string, body?: unknown) => ({
  version: '2.0',
  routeKey: `${method} ${path}`,
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'api.example.com', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  requestContext: {
    http: { method, path, sourceIp: '203.0.113.9' },
    domainName: 'api.example.com',
    stage: '$default',
  },
  isBase64Encoded: false,
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const bundles = new Map<string, string>();

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-synth-'));
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', outdir], { cwd: ROOT, stdio: 'pipe' });
  // The stack's own template and its nested stacks' (the route functions, one stack per concern).
  const templates = readdirSync(outdir).filter(
    (f) => f === 'Gatehouse-dev.template.json' || /^Gatehousedev.*\.nested\.template\.json$/.test(f),
  );
  expect(templates).toHaveLength(1 + ROUTE_STACKS.length);
  const functions = templates.flatMap((file) =>
    Object.entries((JSON.parse(readFileSync(join(outdir, file), 'utf8')) as Template).Resources).filter(
      ([, r]) => r.Type === 'AWS::Lambda::Function',
    ),
  );
  // One per route, the $default route's fallback, the cleanup job, one per deletion step, and the
  // platform's authorizer and lookup, and the lifecycle events' publisher.
  expect(functions).toHaveLength(routes.length + 2 + deletionSteps.length + PLATFORM_FUNCTIONS.length + 1);
  const fallback = functions.find(([id]) => id.replace(/[0-9A-F]{8}$/, '') === 'Apifallback');
  const fallbackCode = fallback?.[1].Properties.Code as { S3Key: string } | undefined;
  if (!fallbackCode) throw new Error('no fallback function in the template');
  bundles.set('fallback', join(outdir, `asset.${fallbackCode.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'));
  const job = functions.find(([id]) => id.startsWith('Jobscleanupunconfirmed'));
  const jobCode = job?.[1].Properties.Code as { S3Key: string } | undefined;
  if (!jobCode) throw new Error('no cleanup job in the template');
  bundles.set(
    'cleanup-unconfirmed',
    join(outdir, `asset.${jobCode.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'),
  );
  for (const route of routes) {
    // Logical ids in a route stack are <route id without dashes><hash>.
    const prefix = route.id.replaceAll('-', '');
    const found = functions.filter(([id]) => id.replace(/[0-9A-F]{8}$/, '') === prefix);
    expect(found, route.id).toHaveLength(1);
    const code = found[0]?.[1].Properties.Code as { S3Key: string };
    bundles.set(route.id, join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'));
  }
  for (const step of deletionSteps) {
    const prefix = `Deletion${step.id.replaceAll('-', '')}`;
    const found = functions.filter(([id]) => id.replace(/[0-9A-F]{8}$/, '') === prefix);
    expect(found, step.id).toHaveLength(1);
    const code = found[0]?.[1].Properties.Code as { S3Key: string };
    bundles.set(step.id, join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'));
  }
  for (const platform of PLATFORM_FUNCTIONS) {
    const prefix = `Platform${platform.id.replaceAll('-', '')}`;
    const found = functions.filter(([id]) => id.replace(/[0-9A-F]{8}$/, '') === prefix);
    expect(found, platform.id).toHaveLength(1);
    const code = found[0]?.[1].Properties.Code as { S3Key: string };
    bundles.set(platform.id, join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'));
  }
  const publisher = functions.filter(
    ([id]) => id.replace(/[0-9A-F]{8}$/, '') === `Events${PUBLISHER.id.replaceAll('-', '')}`,
  );
  expect(publisher).toHaveLength(1);
  const publisherCode = publisher[0]?.[1].Properties.Code as { S3Key: string };
  bundles.set(PUBLISHER.id, join(outdir, `asset.${publisherCode.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'));
  Object.assign(process.env, {
    TABLE_NAME: 'bundle-test',
    MAIL_FROM: 'no-reply@mail.example.com',
    PUBLIC_BASE_URL: 'https://accounts.example.com',
    AWS_REGION: 'eu-west-1',
  });
  // Every function built by the real CLI: minutes on a loaded 2-core machine.
}, 300_000);

describe('npx cdk synth', () => {
  it('bundles the cleanup job so that it loads', async () => {
    const { handler } = (await import(pathToFileURL(bundles.get('cleanup-unconfirmed') as string).href)) as {
      handler: unknown;
    };
    expect(typeof handler).toBe('function');
  });

  it('bundles the fallback so that it answers a known path’s other methods with 405 and Allow', async () => {
    const { handler } = (await import(pathToFileURL(bundles.get('fallback') as string).href)) as {
      handler: Handler;
    };
    const res = await handler(event('PUT', '/api/users'), {});
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect((await handler(event('GET', '/api/nope'), {})).statusCode).toBe(404);
  });

  it.each(deletionSteps.map((s) => [s.id] as const))(
    'bundles the deletion step %s so that it loads',
    async (id) => {
      const { handler } = (await import(pathToFileURL(bundles.get(id) as string).href)) as {
        handler: unknown;
      };
      expect(typeof handler).toBe('function');
    },
  );

  it('bundles the platform authorizer and lookup so that they answer as API Gateway and IAM callers invoke them', async () => {
    const authorizer = (await import(pathToFileURL(bundles.get('platform-authorizer') as string).href)) as {
      handler: (event: unknown) => Promise<unknown>;
    };
    // Refused before any read: no header, and a secret that is no key.
    const request = (headers: Record<string, string>) => ({ version: '2.0', type: 'REQUEST', headers });
    expect(await authorizer.handler(request({}))).toEqual({ isAuthorized: false });
    expect(await authorizer.handler(request({ authorization: 'Bearer not-a-key' }))).toEqual({
      isAuthorized: false,
    });
    const lookup = (await import(pathToFileURL(bundles.get('platform-lookup') as string).href)) as {
      handler: (event: unknown) => Promise<unknown>;
    };
    expect(await lookup.handler({ sshKeyFingerprint: 'MD5:aa' })).toEqual({ account: null });
    await expect(lookup.handler({})).rejects.toThrowError(/Send \{"apiKey"\}/);
  });

  it('bundles the publisher so that it takes a stream batch, passing over what is no outbox item', async () => {
    const publisher = (await import(pathToFileURL(bundles.get(PUBLISHER.id) as string).href)) as {
      handler: (event: unknown) => Promise<unknown>;
    };
    expect(await publisher.handler({ Records: [] })).toEqual({ batchItemFailures: [] });
    const profile = { eventName: 'INSERT', dynamodb: { NewImage: { type: { S: 'profile' } } } };
    expect(await publisher.handler({ Records: [profile, { eventName: 'REMOVE' }] })).toEqual({
      batchItemFailures: [],
    });
  });

  it('puts the word lists beside every bundle, and every chunk it may load resolves from its folder', async () => {
    for (const [id, file] of bundles) {
      const dir = dirname(file);
      for (const list of Object.values(LIST_FILES))
        expect(existsSync(join(dir, list)), `${id}: ${list}`).toBe(true);
      // Lazy chunks (the mail client, the Stripe SDK, ...) load on a first call: each must load here.
      for (const chunk of readdirSync(dir).filter((f) => f.endsWith('.mjs') && f !== 'index.mjs'))
        await expect(import(pathToFileURL(join(dir, chunk)).href), `${id}: ${chunk}`).resolves.toBeDefined();
    }
    // The Stripe SDK is a chunk of the billing routes, never of the entry's static imports.
    const upgrade = dirname(bundles.get('upgrade') as string);
    const chunks = readdirSync(upgrade).filter((f) => f.endsWith('.mjs'));
    expect(
      chunks.some(
        (f) => f !== 'index.mjs' && readFileSync(join(upgrade, f), 'utf8').includes('api.stripe.com'),
      ),
    ).toBe(true);
    expect(readFileSync(join(upgrade, 'index.mjs'), 'utf8')).not.toContain('api.stripe.com');
  });

  it('bundles free-users so that its first use reads the lists beside it', async () => {
    const { handler } = (await import(pathToFileURL(bundles.get('free-users') as string).href)) as {
      handler: Handler;
    };
    const refused = async (email: string, password: string) => {
      const res = await handler(event('POST', '/api/free_users', { email, password }), {});
      expect(res.statusCode).toBe(400);
      return (JSON.parse(res.body) as { errors: Record<string, string[]> }).errors;
    };
    expect(await refused('bob@team.mailinator.com', 'a long and unusual one')).toEqual({
      email: ['is a disposable address; use one you will keep'],
    });
    expect(await refused('bob@example.com', 'Password1234')).toEqual({
      password: ['is one of the most common passwords; choose another'],
    });
  });

  it('bundles free-users so that its mail client, a lazy chunk, loads from its folder, sends and reads a refusal', async () => {
    // As Lambda runs it: a fresh Node in the function's folder, the entry loaded first, then the
    // chunk the entry's import() names on a first mail, sending with the role's credentials from
    // the environment (the only provider left in the build) to a local SES.
    const dir = dirname(bundles.get('free-users') as string);
    const entry = readFileSync(join(dir, 'index.mjs'), 'utf8');
    const chunk = readdirSync(dir).find((f) => f.startsWith('send.sdk-') && f.endsWith('.mjs'));
    expect(chunk, 'the mail client is a chunk of its own').toBeDefined();
    expect(entry, 'loaded only through an import()').not.toMatch(/from"\.\/send\.sdk-/);
    const requests: string[] = [];
    const ses = createServer((req, res) => {
      let body = '';
      req.on('data', (part) => {
        body += part;
      });
      req.on('end', () => {
        requests.push(`${req.headers.authorization?.split(' ')[0]} ${body}`);
        // The first mail is sent; the second refused, as SES refuses an unverified sender.
        res.writeHead(requests.length === 1 ? 200 : 400, { 'content-type': 'text/xml' });
        res.end(
          requests.length === 1
            ? '<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>m-1</MessageId></SendEmailResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SendEmailResponse>'
            : '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error><RequestId>r-2</RequestId></ErrorResponse>',
        );
      });
    });
    await new Promise<void>((done) => ses.listen(0, '127.0.0.1', done));
    try {
      const { port } = ses.address() as AddressInfo;
      const script = `await import('./index.mjs');
const { SESClient, SendEmailCommand } = await import('./${chunk}');
const mail = new SendEmailCommand({ Source: 'a@b.co', Destination: { ToAddresses: ['c@d.co'] }, Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } });
const ses = new SESClient({ maxAttempts: 1 });
const out = await ses.send(mail);
const refused = await ses.send(mail).then(() => 'sent', (e) => e.name + ': ' + e.message);
process.stdout.write(out.MessageId + ' ' + refused);`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          TABLE_NAME: 'bundle-test',
          MAIL_FROM: 'no-reply@mail.example.com',
          PUBLIC_BASE_URL: 'https://accounts.example.com',
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_ENDPOINT_URL_SES: `http://127.0.0.1:${port}`,
        },
      });
      // The query protocol's XML, answer and error, read by the code the chunk imports from the entry.
      expect(stdout).toBe('m-1 MessageRejected: Email address is not verified.');
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatch(/^AWS4-HMAC-SHA256 Action=SendEmail&/);
    } finally {
      ses.close();
    }
  });

  it.each(routes.map((r) => [r.id, r] as const))(
    'bundles %s so that it loads and answers its route',
    async (id, route) => {
      const { handler } = (await import(pathToFileURL(bundles.get(id) as string).href)) as {
        handler: Handler;
      };
      for (const method of route.methods) {
        const res = await handler(event(method, route.path), {});
        // The public configuration, the OpenAPI document and the stylesheet need no input and touch
        // nothing: they answer. Every other route refuses a request without its input.
        if (['public-config', 'openapi', 'console-style'].includes(route.id))
          expect(res.statusCode, `${method} ${route.path}`).toBe(200);
        // The console's pages without a session: the forms for someone signed out, and a redirect
        // to the sign-in form from the others.
        else if (
          method === 'GET' &&
          ['console-login', 'console-signup', 'console-resend', 'console-reset'].includes(route.id)
        )
          expect(res.statusCode).toBe(200);
        // Back from Google without a sign-in of this browser's: the page says so, rather than
        // sending the person to the form with no word of why.
        else if (method === 'GET' && route.id === 'console-google-finish') expect(res.statusCode).toBe(401);
        else if (method === 'GET' && route.path.startsWith('/console')) expect(res.statusCode).toBe(303);
        else expect(res.statusCode, `${method} ${route.path}`).toBeGreaterThanOrEqual(400);
        // Google and billing routes refuse with 501 where they are not configured (as here), saying so.
        if (res.statusCode === 501) expect(res.body).toContain('is not configured on this server');
        else expect(res.statusCode, `${method} ${route.path}`).toBeLessThan(500);
        expect(res.statusCode, `${method} ${route.path}`).not.toBe(404);
        expect(res.headers['cache-control']).toBe('no-store');
      }
    },
  );
});
