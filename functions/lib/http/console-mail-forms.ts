// The console's pages for someone not signed in that mail a link (a new confirmation link, a
// password reset link): a form with the address; the post answers the same page, whatever the
// address, no sooner than the enumeration floor. The service does the work the API's endpoint
// does (services/link-requests.ts).
import type { Context } from 'hono';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { RateLimitedError } from '#domain/errors.ts';
import type { Origin } from '#domain/request.ts';
import { escapeHtml } from '#shared/html.ts';
import { createApp } from './app.ts';
import { formBody, optionalString } from './body.ts';
import {
  consolePage,
  fieldProblem,
  invalidIf,
  LOGIN_PAGE,
  notFromConsole,
  type Problems,
  postedFromConsole,
  problemBanner,
  retryLater,
  SIGNUP_PAGE,
} from './console.ts';
import { requestNow, requestOrigin } from './request.ts';
import { responseFloor } from './timing.ts';

export interface MailFormPage {
  readonly path: string;
  readonly title: string;
  /** What the form does, above it. */
  readonly intro: string;
  readonly button: string;
  /** Mails the link, or does nothing for an address that gets none; RateLimitedError past a limit. */
  readonly request: (email: string, now: number, origin: Origin) => Promise<void>;
  /** What the page says after any accepted post: the same for every address. */
  readonly sent: string;
}

/** The links under every public form: the other ways in. */
export const otherWaysIn = `<p class="muted"><a href="${LOGIN_PAGE}">Sign in</a> · <a href="${SIGNUP_PAGE}">Create an account</a></p>`;

export function mailFormPage(p: MailFormPage) {
  const form = (c: Context, problems: Problems = {}, email = '') =>
    consolePage(
      c,
      p.title,
      `${problemBanner(problems[''])}<p>${escapeHtml(p.intro)}</p>
<form method="post" action="${p.path}">
<p><label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" maxlength="${MAX_EMAIL_LENGTH}" value="${escapeHtml(email)}" required${invalidIf(problems, 'email')}>${fieldProblem(problems, 'email')}</p>
<button type="submit">${escapeHtml(p.button)}</button>
</form>
${otherWaysIn}`,
    );
  return createApp()
    .get(p.path, (c) => c.html(form(c)))
    .post(p.path, formBody({ email: optionalString(MAX_EMAIL_LENGTH) }), responseFloor(), async (c) => {
      if (!postedFromConsole(c)) return notFromConsole(c);
      const raw = c.var.body.email ?? '';
      let email: string;
      try {
        email = normalizeEmail(raw);
      } catch {
        return c.html(form(c, { email: 'This is not a valid email address.' }, raw), 400);
      }
      try {
        await p.request(email, requestNow(c), requestOrigin(c));
      } catch (err) {
        if (err instanceof RateLimitedError) return c.html(form(c, { '': retryLater(c, err) }, raw), 429);
        throw err;
      }
      return c.html(consolePage(c, p.title, `<p role="status">${escapeHtml(p.sent)}</p>\n${otherWaysIn}`));
    });
}
