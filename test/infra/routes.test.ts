// The route table is the single source of truth: every row must have its file, its app serving
// its path, and its tests.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const testFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [e.name] : [],
  );

// What every function reads at cold start; no Google settings, no AWS behind them.
Object.assign(process.env, {
  TABLE_NAME: 'routes-test',
  MAIL_FROM: 'no-reply@example.com',
  PUBLIC_BASE_URL: 'https://accounts.example.com',
  AWS_REGION: 'eu-west-1',
});

describe('the route table', () => {
  it('has unique ids, entries and method+path pairs', () => {
    const keys = routes.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`));
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => r.entry)).size).toBe(routes.length);
  });

  it.each(routes.map((r) => [r.id, r] as const))(
    '%s has its file, its tests, and serves its path',
    async (id, route) => {
      expect(existsSync(join(ROOT, 'functions', route.entry))).toBe(true);
      expect(testFiles(join(ROOT, 'test'))).toContain(`${id}.test.ts`);
      const mod = (await import(`../../functions/${route.entry}`)) as { app?: Hono; handler?: unknown };
      expect(typeof mod.handler).toBe('function');
      for (const method of route.methods) {
        // No body and no credentials: every endpoint refuses before touching AWS, but not with a 404.
        const res = await (mod.app as Hono).request(route.path, { method });
        expect(res.status, `${method} ${route.path}`).not.toBe(404);
        // Google and billing routes refuse with 501 where they are not configured (as here), saying so.
        if (res.status === 501) expect(await res.text()).toContain('is not configured on this server');
        else expect(res.status, `${method} ${route.path}`).toBeLessThan(500);
      }
    },
  );
});
