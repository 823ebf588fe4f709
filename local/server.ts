// The local API: every row of the route table, served by that endpoint's own Hono app, exactly
// as API Gateway would route to its Lambda.

import type { Hono as HonoApp } from 'hono';
import { Hono } from 'hono';
import { routes } from '../functions/routes.ts';

export async function createLocalApp(): Promise<Hono> {
  const root = new Hono();
  for (const route of routes) {
    const { app } = (await import(`../functions/${route.entry}`)) as { app: HonoApp };
    root.on([...route.methods], route.path, (c) => app.fetch(c.req.raw, c.env));
  }
  root.notFound((c) => c.json({ errors: { '': ['Not found'] } }, 404));
  return root;
}
