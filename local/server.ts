// The local API: every row of the route table, served by that endpoint's own Hono app, exactly
// as API Gateway would route to its Lambda.
import type { Hono } from 'hono';
import { createApp } from '../functions/lib/http/app.ts';
import { routes } from '../functions/routes.ts';

export async function createLocalApp(): Promise<Hono> {
  const root = createApp();
  for (const route of routes) {
    const { app } = (await import(/* @vite-ignore */ `../functions/${route.entry}`)) as { app: Hono };
    root.on([...route.methods], route.path.replace(/\{(\w+)\}/g, ':$1'), (c) => app.fetch(c.req.raw, c.env));
  }
  return root;
}
