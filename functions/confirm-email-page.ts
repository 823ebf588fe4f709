// GET /confirm-email?token=… shows a page whose button POSTs the token back here. Mail scanners
// prefetch GET links, so only the POST consumes the token. No script: a plain form works
// everywhere and lets the page's CSP forbid scripts entirely.
import { handle } from 'hono/aws-lambda';
import { InvalidTokenError, RateLimitedError } from '#lib/domain/errors.ts';
import { looksLikeToken } from '#lib/domain/tokens.ts';
import { confirmWithToken } from '#lib/email-confirmation.ts';
import { escapeHtml, htmlDocument } from '#lib/html.ts';
import { createApp } from '#lib/http/app.ts';
import { formBody, string } from '#lib/http/body.ts';
import { EMAIL_CONFIRMED } from '#lib/messages.ts';

const page = (title: string, body: string) => htmlDocument(title, `<h1>${escapeHtml(title)}</h1>\n${body}`);

export const app = createApp()
  .get('/confirm-email', (c) => {
    const token = c.req.query('token') ?? '';
    if (!looksLikeToken(token)) {
      return c.html(
        page('This link is incomplete', '<p>Copy the whole link from the mail and try again.</p>'),
        400,
      );
    }
    return c.html(
      page(
        'Confirm your email address',
        `<form method="post" action="confirm-email">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Confirm my email address</button>
</form>
<p class="muted">This finishes creating your Gatehouse account.</p>`,
      ),
    );
  })
  .post('/confirm-email', formBody({ token: string(128) }), async (c) => {
    try {
      await confirmWithToken(c, c.var.body.token);
    } catch (err) {
      if (err instanceof RateLimitedError) {
        c.header('Retry-After', String(err.retryAfterSeconds));
        return c.html(page('Too many attempts', '<p>Wait a minute, then press the button again.</p>'), 429);
      }
      if (!(err instanceof InvalidTokenError)) throw err;
      return c.html(page('Your address could not be confirmed', `<p>${escapeHtml(err.message)}</p>`), 400);
    }
    return c.html(page('Email address confirmed', `<p>${escapeHtml(EMAIL_CONFIRMED)}</p>`));
  });

export const handler = handle(app);
