// The pages' Content-Security-Policy: form posts end on our own origin, except where a page asks
// for one more (the console's card form, answered with a redirect to Stripe Checkout).
import { describe, expect, it } from 'vitest';
import { allowFormRedirectTo, createApp } from '#http/app.ts';

const STRICT =
  "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const app = createApp()
  .get('/plain', (c) => c.html('<p>plain</p>'))
  .get('/card', (c) => {
    allowFormRedirectTo(c, 'https://checkout.stripe.com');
    return c.html('<form></form>');
  })
  .get('/sneaky', (c) => {
    c.header('Content-Security-Policy', "default-src *; form-action 'self' https://evil.example");
    return c.html('<p>sneaky</p>');
  });

describe('the page policy', () => {
  it('holds form posts to this origin', async () => {
    expect((await app.request('/plain')).headers.get('content-security-policy')).toBe(STRICT);
  });

  it('lets a page that asks post to one more origin, and only that page', async () => {
    expect((await app.request('/card')).headers.get('content-security-policy')).toBe(
      STRICT.replace("form-action 'self'", "form-action 'self' https://checkout.stripe.com"),
    );
    // The local server wraps each endpoint's app in another: the widened policy passes through it.
    const outer = createApp().get('/card', (c) => app.fetch(c.req.raw));
    expect((await outer.request('/card')).headers.get('content-security-policy')).toContain(
      "form-action 'self' https://checkout.stripe.com;",
    );
  });

  it('replaces any other policy a handler set, and refuses what is not an origin', async () => {
    expect((await app.request('/sneaky')).headers.get('content-security-policy')).toBe(STRICT);
    const bad = createApp().get('/bad', (c) => {
      allowFormRedirectTo(c, "https://a.example; script-src 'unsafe-inline'");
      return c.html('');
    });
    expect((await bad.request('/bad')).status).toBe(500);
  });
});
