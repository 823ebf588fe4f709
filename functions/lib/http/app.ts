import type { Context } from 'hono';
// One endpoint a function, a route or two an app: hono/tiny's pattern router is made for that,
// and is 6 KB less of every cold start than the default's regular-expression and trie routers.
import { Hono } from 'hono/tiny';
import { SAME_ORIGIN_REFERRER } from './csrf.ts';
import { errorResponse, general } from './errors.ts';

// HTML pages carry link tokens in their URL: no referrer may leak them, no frame may wrap them,
// and with no scripts and one asset (the stylesheet, ours, linked: no inline style either) the
// policy can deny nearly everything.
const pagePolicy = (formTargets = "'self'") =>
  `default-src 'none'; style-src 'self'; form-action ${formTargets}; frame-ancestors 'none'; base-uri 'none'`;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': pagePolicy(),
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  // Two years, subdomains too: the API and its pages are only ever served over HTTPS.
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
};

/**
 * The schemes a 401 offers (RFC 9110: a 401 names them): Basic `email:password` (login) or
 * `email:key`, and Bearer `<key>`. Only on JSON answers: a page's Basic challenge would make a
 * browser pop up a password dialog.
 */
export const AUTH_CHALLENGE = 'Basic realm="Gatehouse", charset="UTF-8", Bearer realm="Gatehouse"';

const FORM_TARGET = 'gatehouse:formTarget';
// The policy holds no regular-expression syntax of its own: only the origin's pattern is one.
const WIDENED_POLICY = new RegExp(`^${pagePolicy("'self' https?://[A-Za-z0-9.-]+(:[0-9]+)?")}$`);

/**
 * Lets this page's form post end at another origin too: browsers hold a form's redirects to the
 * page's form-action, and the console's card form is answered with a redirect to Stripe Checkout.
 */
export function allowFormRedirectTo(c: Context, origin: string): void {
  if (new URL(origin).origin !== origin) throw new Error(`not an origin: ${origin}`);
  c.set(FORM_TARGET as never, origin as never);
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Lets browsers keep this answer for a year: only for an asset whose URL changes with its content
 * (the stylesheet's version). Every other answer, and an error, is no-store.
 */
export function cacheImmutably(c: Context): void {
  c.header('Cache-Control', IMMUTABLE);
}

/** The Hono app every endpoint starts from: contract headers, error mapping, JSON 404. */
export function createApp() {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    const formTarget = c.get(FORM_TARGET as never) as string | undefined;
    // A page's widened policy stays as its own app set it (the local server wraps every app in another).
    const widened = WIDENED_POLICY.test(c.res.headers.get('Content-Security-Policy') ?? '');
    const headers = formTarget
      ? { ...SECURITY_HEADERS, 'Content-Security-Policy': pagePolicy(`'self' ${formTarget}`) }
      : SECURITY_HEADERS;
    for (const [name, value] of Object.entries(headers)) {
      if (name === 'Content-Security-Policy' && widened && !formTarget) continue;
      // An asset's answer stays cacheable as it set it (cacheImmutably), through the local server too.
      if (name === 'Cache-Control' && c.res.ok && c.res.headers.get(name) === IMMUTABLE) continue;
      // A page whose form must send its Origin chooses same-origin (csrf.ts): no weaker policy.
      if (name === 'Referrer-Policy' && c.res.headers.get(name) === SAME_ORIGIN_REFERRER) continue;
      c.res.headers.set(name, value);
    }
    const type = c.res.headers.get('content-type');
    if (type?.startsWith('application/json')) {
      c.res.headers.set('content-type', 'application/json; charset=utf-8');
      if (c.res.status === 401) c.res.headers.set('WWW-Authenticate', AUTH_CHALLENGE);
    }
  });
  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => c.json({ errors: general('Not found') }, 404));
  return app;
}
