// The pages' stylesheet: served by its version for a year, linked by every page with the version
// it is served by, and the only style a page's policy lets in.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STYLESHEET_HREF, STYLESHEET_VERSION } from '#shared/html.ts';
import { STYLESHEET } from '#shared/stylesheet.ts';
import { call } from '../support/flows.ts';

describe('GET /console/style.css', () => {
  it('serves the stylesheet, kept for a year when asked for by its version', async () => {
    const res = await call('GET', STYLESHEET_HREF);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(STYLESHEET);
  });

  it('keeps nothing asked for by no version or another, so no old URL caches this one', async () => {
    for (const path of ['/console/style.css', '/console/style.css?v=000000000000', '/console/style.css?v=']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(await res.text()).toBe(STYLESHEET);
    }
  });

  it('is linked by the pages with the version it is served by, the policy letting in no other style', async () => {
    const version = createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 12);
    expect(STYLESHEET_VERSION, 'STYLESHEET_VERSION in functions/lib/shared/html.ts').toBe(version);
    for (const path of ['/console/login', '/console/signup', '/console/password/reset']) {
      const res = await call('GET', path);
      const page = await res.text();
      expect(page, path).toContain(`<link rel="stylesheet" href="${STYLESHEET_HREF}">`);
      expect(page, path).not.toContain('<style');
      expect(res.headers.get('content-security-policy'), path).toContain("style-src 'self';");
    }
  });
});
