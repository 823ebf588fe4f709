// The real packaging: each function bundled as `cdk deploy` bundles it (esbuild, ESM, minified,
// SDK inside), loaded as Lambda loads it, and invoked with an API Gateway HTTP API event.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { synth } from './synth.ts';

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

const event = (method: string, path: string) => ({
  version: '2.0',
  routeKey: `${method} ${path}`,
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'api.example.com' },
  requestContext: {
    http: { method, path, sourceIp: '203.0.113.9' },
    domainName: 'api.example.com',
    stage: '$default',
  },
  isBase64Encoded: false,
});

const bundles = new Map<string, string>();

beforeAll(() => {
  const { app, stack } = synth({}, { bundle: true });
  const outdir = app.synth().directory;
  for (const route of routes) {
    const fn = stack.api.functions.get(route.id);
    const code = (fn?.node.defaultChild as { code?: { s3Key?: string } } | undefined)?.code;
    const hash = code?.s3Key?.replace(/\.zip$/, '');
    if (!hash) throw new Error(`no asset for ${route.id}`);
    bundles.set(route.id, join(outdir, `asset.${hash}`, 'index.mjs'));
  }
  Object.assign(process.env, {
    TABLE_NAME: 'bundle-test',
    MAIL_FROM: 'no-reply@mail.example.com',
    PUBLIC_BASE_URL: 'https://accounts.example.com',
    AWS_REGION: 'eu-west-1',
  });
});

describe('each bundled function', () => {
  it.each(routes.map((r) => [r.id, r] as const))('%s loads and answers its route', async (id, route) => {
    const file = bundles.get(id) as string;
    const { handler } = (await import(pathToFileURL(file).href)) as { handler: Handler };
    for (const method of route.methods) {
      const res = await handler(event(method, route.path), {});
      expect(res.statusCode, `${method} ${route.path}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${method} ${route.path}`).toBeLessThan(500);
      expect(res.statusCode, `${method} ${route.path}`).not.toBe(404);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});
