// The local API: every row of the route table, served by that endpoint's own Hono app, exactly
// as API Gateway would route to its Lambda.
import { appendFileSync } from 'node:fs';
import type { Hono } from 'hono';
import { createApp } from '#http/app.ts';
import { routes } from '../functions/routes.ts';
import { mountExamplePlatform } from './example-platform.ts';

/**
 * With GATEHOUSE_RESPONSE_LOG set (the test suites set it), each answer is noted there as
 * `<route id> <method> <status>`: the contract test checks every status the OpenAPI document
 * promises was seen, and every status seen is documented.
 */
const responseLog = process.env.GATEHOUSE_RESPONSE_LOG;

export async function createLocalApp(): Promise<Hono> {
  const root = createApp();
  for (const route of routes) {
    const { app } = (await import(/* @vite-ignore */ `../functions/${route.entry}`)) as { app: Hono };
    root.on([...route.methods], route.path.replace(/\{(\w+)\}/g, ':$1'), async (c) => {
      const res = await app.fetch(c.req.raw, c.env);
      if (responseLog) appendFileSync(responseLog, `${route.id} ${c.req.method} ${res.status}\n`);
      return res;
    });
  }
  // A route of the platform around Gatehouse, behind its authorizer (docs/integration.md).
  mountExamplePlatform(root);
  // What no row matches, as API Gateway's $default route sends it: 405 with Allow, or the 404.
  const { app: fallback } = (await import('../functions/fallback.ts')) as { app: Hono };
  root.notFound((c) => fallback.fetch(c.req.raw, c.env));
  return root;
}
