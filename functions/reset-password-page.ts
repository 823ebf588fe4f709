// GET /reset-password?token=… shows a form for the new password; the form posts back here. GET
// never spends the token. No script: the form works everywhere, and the CSP forbids scripts.
import { InvalidTokenError, RateLimitedError, ValidationError } from '#domain/errors.ts';
import { PASSWORD_RESET } from '#domain/messages.ts';
import { looksLikeToken } from '#domain/tokens.ts';
import { createApp } from '#http/app.ts';
import { formBody, string } from '#http/body.ts';
import { LOGIN_PAGE, RESET_PAGE } from '#http/console-paths.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { linkLine, page, throttledPage } from '#http/token-page.ts';
import { resetWithToken } from '#services/password-reset.ts';
import { escapeHtml } from '#shared/html.ts';

const SIGN_IN = { href: LOGIN_PAGE, text: 'Sign in to the console' };
const NEW_LINK = { href: RESET_PAGE, text: 'Mail me a new reset link' };

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

export const doc: EndpointDoc = {
  get: {
    summary: 'The page the reset mail links to: a form for the new password',
    description: 'Spends nothing: the form posts the token and the new password back to this path.',
    query: { token: { description: 'The token of the reset link', required: true } },
    responses: {
      200: 'The form, the token in a hidden field',
      400: 'The token is missing or malformed: a page says to copy the whole link',
    },
    html: true,
  },
  post: {
    summary: "Set the new password (the page's form)",
    description:
      'Spends the link; as POST /api/users/reset_password, every key is revoked, linked Google sign-ins are unlinked, an unconfirmed address is confirmed and a notice is mailed.',
    responses: {
      200: 'A page saying the password is set and to log in with it',
      400: 'The password is shorter than 12 or longer than 256 characters, contains the address or the product name, is a common password, or appeared in a data breach (the form again, with the reason); or the link is malformed, unknown, used already, replaced by a newer one or expired (a page says so)',
      429: 'Over 30 reset requests a minute from this IP, links asked for and links used together: a page says to wait, Retry-After says how long',
    },
    html: true,
  },
};

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
      await resetWithToken(token, password, requestNow(c), requestOrigin(c));
    } catch (err) {
      if (err instanceof ValidationError) return c.html(form(token, `The password ${err.message}.`), 400);
      if (err instanceof RateLimitedError) return throttledPage(c, err, 'try again');
      if (err instanceof InvalidTokenError) {
        return c.html(
          page('This link no longer works', `<p>${escapeHtml(err.message)}</p>${linkLine(NEW_LINK)}`),
          400,
        );
      }
      throw err;
    }
    return c.html(page('Password set', `<p>${escapeHtml(PASSWORD_RESET)}</p>${linkLine(SIGN_IN)}`));
  });

export const handler = handle(app);
