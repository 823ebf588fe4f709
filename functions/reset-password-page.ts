// GET /reset-password?token=… shows a form for the new password; the form posts back here. GET
// never spends the token. No script: the form works everywhere, and the CSP forbids scripts.
import { handle } from 'hono/aws-lambda';
import { InvalidTokenError, RateLimitedError, ValidationError } from '#lib/domain/errors.ts';
import { looksLikeToken } from '#lib/domain/tokens.ts';
import { escapeHtml, htmlDocument } from '#lib/html.ts';
import { createApp } from '#lib/http/app.ts';
import { formBody, string } from '#lib/http/body.ts';
import { PASSWORD_RESET } from '#lib/messages.ts';
import { resetWithToken } from '#lib/password-reset.ts';

const page = (title: string, body: string) => htmlDocument(title, `<h1>${escapeHtml(title)}</h1>\n${body}`);

const form = (token: string, problem?: string) =>
  page(
    'Choose a new password',
    `${problem ? `<p role="alert"><strong>${escapeHtml(problem)}</strong></p>\n` : ''}<form method="post" action="reset-password">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p><label for="password">New password (at least 12 characters)</label><br>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="12" maxlength="256" required></p>
<button type="submit">Set my password</button>
</form>
<p class="muted">Setting it signs out every device. Then log in with the new password.</p>`,
  );

export const app = createApp()
  .get('/reset-password', (c) => {
    const token = c.req.query('token') ?? '';
    if (!looksLikeToken(token)) {
      return c.html(
        page('This link is incomplete', '<p>Copy the whole link from the mail and try again.</p>'),
        400,
      );
    }
    return c.html(form(token));
  })
  .post('/reset-password', formBody({ token: string(128), password: string(1024) }), async (c) => {
    const { token, password } = c.var.body;
    try {
      await resetWithToken(c, token, password);
    } catch (err) {
      if (err instanceof ValidationError) return c.html(form(token, `The password ${err.message}.`), 400);
      if (err instanceof RateLimitedError) {
        c.header('Retry-After', String(err.retryAfterSeconds));
        return c.html(page('Too many attempts', '<p>Wait a minute, then try again.</p>'), 429);
      }
      if (err instanceof InvalidTokenError) {
        return c.html(page('This link no longer works', `<p>${escapeHtml(err.message)}</p>`), 400);
      }
      throw err;
    }
    return c.html(page('Password set', `<p>${escapeHtml(PASSWORD_RESET)}</p>`));
  });

export const handler = handle(app);
