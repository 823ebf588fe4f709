// The pages behind mail links that take one press of a button: GET shows the button (mail
// scanners prefetch GETs, so it spends nothing); the button posts the token back as a plain form.
// No script at all, so the pages' CSP forbids scripts.
import type { Context } from 'hono';
import { ConflictError, InvalidTokenError, RateLimitedError } from '#domain/errors.ts';
import type { Origin } from '#domain/request.ts';
import { looksLikeToken } from '#domain/tokens.ts';
import { escapeHtml, htmlDocument, type ReferrerPolicy } from '#shared/html.ts';
import { createApp } from './app.ts';
import { formBody, string } from './body.ts';
import { requestNow, requestOrigin } from './request.ts';

export const page = (title: string, body: string, referrer?: ReferrerPolicy): string =>
  htmlDocument(title, `<h1>${escapeHtml(title)}</h1>\n${body}`, referrer);

/** A page's answer to a throttled request: wait, then `retry` (Retry-After says how long). */
export function throttledPage(c: Context, err: RateLimitedError, retry: string): Response {
  c.header('Retry-After', String(err.retryAfterSeconds));
  return c.html(page('Too many attempts', `<p>Wait a minute, then ${retry}.</p>`), 429);
}

export interface TokenPage {
  /** Path of the page, e.g. `/confirm-email`; the form posts to the same path. */
  readonly path: string;
  readonly title: string;
  readonly explain: string;
  readonly button: string;
  readonly doneTitle: string;
  /** Spends the token; returns the sentence the done page shows. */
  readonly run: (token: string, now: number, origin: Origin) => Promise<string>;
  /** Where to go once it is done (the console's sign-in, or the account). */
  readonly next?: Link;
  /** Where to get a new link when this one no longer works. */
  readonly renew?: Link;
}

export interface Link {
  readonly href: string;
  readonly text: string;
}

/** A link on its own line, or nothing. */
export const linkLine = (link?: Link): string =>
  link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';

export function tokenButtonPage(p: TokenPage) {
  const action = p.path.slice(1);
  return createApp()
    .get(p.path, (c) => {
      const token = c.req.query('token') ?? '';
      if (!looksLikeToken(token)) {
        return c.html(
          page('This link is incomplete', '<p>Copy the whole link from the mail and try again.</p>'),
          400,
        );
      }
      return c.html(
        page(
          p.title,
          `<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">${escapeHtml(p.button)}</button>
</form>
<p class="muted">${escapeHtml(p.explain)}</p>`,
        ),
      );
    })
    .post(p.path, formBody({ token: string(128) }), async (c) => {
      let done: string;
      try {
        done = await p.run(c.var.body.token, requestNow(c), requestOrigin(c));
      } catch (err) {
        if (err instanceof RateLimitedError) return throttledPage(c, err, 'press the button again');
        if (err instanceof InvalidTokenError)
          return c.html(
            page('This link no longer works', `<p>${escapeHtml(err.message)}</p>${linkLine(p.renew)}`),
            400,
          );
        if (err instanceof ConflictError)
          return c.html(page('Nothing was changed', `<p>${escapeHtml(err.message)}</p>`), 409);
        throw err;
      }
      return c.html(page(p.doneTitle, `<p>${escapeHtml(done)}</p>${linkLine(p.next)}`));
    });
}
