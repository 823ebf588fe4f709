// Every request that matches no route: API Gateway's $default route (infra/api.ts), the local
// server's not-found. A path the route table has, asked with another method, is a 405 naming the
// methods it takes (Allow); anything else the contract's 404, not API Gateway's own body.
import { createApp } from '#http/app.ts';
import { general } from '#http/errors.ts';
import { handle } from '#http/lambda.ts';
import { routes } from './routes.ts';

// Each path of the table as a pattern (`{param}` is one segment), with the methods served there.
const paths = new Map<string, { pattern: RegExp; methods: Set<string> }>();
for (const route of routes) {
  const known = paths.get(route.path) ?? {
    pattern: new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
    methods: new Set<string>(),
  };
  for (const method of route.methods) known.methods.add(method);
  paths.set(route.path, known);
}

/** The methods the table serves at `path` (sorted), or undefined when it has no such path. */
export function allowedMethods(path: string): string[] | undefined {
  const methods = [...paths.values()].filter((p) => p.pattern.test(path)).flatMap((p) => [...p.methods]);
  return methods.length ? [...new Set(methods)].sort() : undefined;
}

export const app = createApp().all('*', (c) => {
  const allowed = allowedMethods(c.req.path);
  if (!allowed) return c.json({ errors: general('Not found') }, 404);
  c.header('Allow', allowed.join(', '));
  return c.json({ errors: general(`Method not allowed here: use ${allowed.join(' or ')}`) }, 405);
});

export const handler = handle(app);
