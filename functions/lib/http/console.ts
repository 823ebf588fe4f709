// The web console's plumbing: its session cookie (the key of a console login, kind `browser`),
// the per-session form token every signed-in form carries, the check that a post comes from our
// own pages, and the page frame. Pages are plain HTML forms: no script, so the pages' CSP forbids
// scripts outright (app.ts).
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type ApiKeyRecord, revokeApiKey } from '#data/api-keys.ts';
import { type Account, isSuspended } from '#domain/account.ts';
import {
  ConflictError,
  NotConfiguredError,
  RateLimitedError,
  UnavailableError,
  ValidationError,
  WrongCredentialError,
} from '#domain/errors.ts';
import { ACCOUNT_SUSPENDED } from '#domain/messages.ts';
import { TIER_LIMITS, type Tier } from '#domain/tiers.ts';
import { digest } from '#domain/tokens.ts';
import { isExpiredKey, verifyApiKey } from '#services/key-verification.ts';
import { config } from '#shared/config.ts';
import { escapeHtml, htmlDocument } from '#shared/html.ts';
import { ACTIVITY_PAGE_PATH, CARD_PAGE, CONSOLE, LOGIN_PAGE, SECURITY_PAGE } from './console-paths.ts';
import { type CookieOptions, clearCookie, readCookie, writeCookie } from './cookies.ts';
import { fromOwnPage, SAME_ORIGIN_REFERRER } from './csrf.ts';
import { requestNow, requestOrigin } from './request.ts';

export {
  ACTIVITY_PAGE_PATH,
  ADDRESS_PAGE,
  CARD_PAGE,
  CONSOLE,
  DELETE_PAGE,
  GOOGLE_FINISH,
  GOOGLE_START,
  KEYS_PAGE,
  LOGIN_PAGE,
  MFA_PAGE,
  NEW_KEY_PAGE,
  RESEND_PAGE,
  RESET_PAGE,
  SECURITY_PAGE,
  SIGNUP_PAGE,
  SSH_KEYS_PAGE,
  UPGRADE_PAGE,
} from './console-paths.ts';

const secure = () => new URL(config().publicBaseUrl).protocol === 'https:';
/** `__Host-` over HTTPS (Secure, Path=/, no Domain, enforced by browsers); plain on the local stack. */
const sessionCookieName = () => (secure() ? '__Host-gatehouse-console' : 'gatehouse-console');
// Lax: a link from a mail or another site opens the console signed in; a cross-site post carries
// no cookie, and every post is checked for its origin and form token besides.
const sessionOptions = (): CookieOptions => ({ secure: secure(), sameSite: 'Lax', path: '/' });

export function setSession(c: Context, key: string): void {
  writeCookie(c, sessionCookieName(), key, sessionOptions(), config().consoleSessionSeconds);
}

export function clearSession(c: Context): void {
  clearCookie(c, sessionCookieName(), sessionOptions());
}

export const sessionKeyOf = (c: Context): string | undefined => readCookie(c, sessionCookieName());

/** The form token of a session: derived from its key, so nothing more is stored; dies with it. */
export const formToken = (sessionKey: string): string => digest(`console-form:${sessionKey}`);

const sameToken = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Whether a post came from one of our own pages (Sec-Fetch-Site, Origin). */
export const postedFromConsole = (c: Context): boolean => fromOwnPage(c, config().publicBaseUrl);

/** The hidden field every signed-in form carries. */
export const formTokenField = (sessionKey: string): string =>
  `<input type="hidden" name="form_token" value="${formToken(sessionKey)}">`;

/** Who a signed-in page is for: the navigation shows the address, its forms carry the form token. */
export interface SignedIn {
  readonly email: string;
  readonly sessionKey: string;
}

export interface ConsoleEnv {
  Variables: {
    user: Account;
    sessionKey: string;
    sessionRecord: ApiKeyRecord;
    /** The page's frame and forms: the account's address and this session's key. */
    signedIn: SignedIn;
  };
}

/** What a tier allows, as a sentence (from the tiers' own limits). */
export function tierLimits(tier: Tier): string {
  const l = TIER_LIMITS[tier];
  if (l.instances === null)
    return 'No fixed limits: instances, memory and databases as you need them, billed by use.';
  return `${l.instances} instance of ${l.instance_memory_gb} GB, ${l.databases} database of ${l.database_rows?.toLocaleString('en-US')} rows.`;
}

/**
 * The console page frame: the shared stylesheet, the navigation when signed in (with the sign-out
 * form), and same-origin referrers so that our forms' posts carry their Origin.
 */
export function consolePage(c: Context, title: string, body: string, signedIn?: SignedIn): string {
  c.header('Referrer-Policy', SAME_ORIGIN_REFERRER);
  const nav = signedIn
    ? `<nav aria-label="Console"><a href="${CONSOLE}">Account</a> <a href="${CARD_PAGE}">Card</a> <a href="${SECURITY_PAGE}">Security</a> <a href="${ACTIVITY_PAGE_PATH}">Activity</a>
<span class="who">${escapeHtml(signedIn.email)}</span>
<form method="post" action="${CONSOLE}/logout" class="inline">${formTokenField(signedIn.sessionKey)}<button type="submit" class="link">Sign out</button></form></nav>\n`
    : '';
  return htmlDocument(
    `${title} · Gatehouse`,
    `${nav}<main>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</main>`,
    SAME_ORIGIN_REFERRER,
  );
}

/** What is wrong with a form: a sentence by field name, '' for the form as a whole. */
export type Problems = Readonly<Record<string, string | undefined>>;

/** The form's own problem, above it. */
export const problemBanner = (problem?: string): string =>
  problem ? `<p role="alert" class="problem"><strong>${escapeHtml(problem)}</strong></p>\n` : '';

/** A field's problem, next to it (the input points at it with `invalidIf`). */
export const fieldProblem = (problems: Problems, field: string): string =>
  problems[field]
    ? `<br><span class="problem" id="${field}-problem" role="alert">${escapeHtml(problems[field] ?? '')}</span>`
    : '';

/** The attributes that tie an input to its problem, for screen readers. */
export const invalidIf = (problems: Problems, field: string): string =>
  problems[field] ? ` aria-invalid="true" aria-describedby="${field}-problem"` : '';

/** "The password" + "should be at least 12 character(s)": a domain rule's fragment as a sentence. */
export const sentence = (subject: string, fragment: string): string => `${subject} ${fragment}.`;

/** A message as a sentence: with its full stop. */
export const fullStop = (message: string): string => (/[.!?]$/.test(message) ? message : `${message}.`);

/** A post that did not come from our pages (Origin, Sec-Fetch-Site). */
export const notFromConsole = (c: Context): Response =>
  c.html(
    consolePage(
      c,
      'Not sent from this console',
      // Also what a console opened under another name of the host sees (localhost for 127.0.0.1).
      `<p>Go back to the page, reload it, and try again. The console is at <a href="${escapeHtml(config().publicBaseUrl)}${CONSOLE}">${escapeHtml(config().publicBaseUrl)}${CONSOLE}</a>.</p>`,
    ),
    403,
  );

/** Retry-After set, and the sentence that says when. */
export function retryLater(c: Context, err: { message: string; retryAfterSeconds: number }): string {
  c.header('Retry-After', String(err.retryAfterSeconds));
  return `${err.message} Try again in ${err.retryAfterSeconds} s.`;
}

/**
 * A refusal a page shows next to its form: the status and sentence of a domain error (Retry-After
 * set where there is one), or undefined for an error the page does not expect (the 500 path).
 */
export function pageProblem(
  c: Context,
  err: unknown,
): { readonly status: 400 | 409 | 429 | 501 | 503; readonly message: string } | undefined {
  if (err instanceof ValidationError) return { status: 400, message: err.message };
  if (err instanceof ConflictError) return { status: 409, message: err.message };
  if (err instanceof RateLimitedError) return { status: 429, message: retryLater(c, err) };
  if (err instanceof NotConfiguredError) return { status: 501, message: err.message };
  if (err instanceof UnavailableError) return { status: 503, message: retryLater(c, err) };
  return undefined;
}

/** A domain error's field (as the API names it) → the form's field and the sentence's subject. */
export type FieldSubjects = Readonly<Record<string, readonly [field: string, subject: string]>>;

/** The fields of a re-authentication, as the services name them. */
export const REAUTH_SUBJECTS: FieldSubjects = {
  current_password: ['current_password', 'The password'],
  mfa_token: ['code', 'The code'],
};

/**
 * A refusal as a form shows it: the status, and its sentence next to the field it names (by
 * `subjects`) or above the form. Undefined for an error the page does not expect (the 500 path).
 */
export function formRefusal(
  c: Context,
  err: unknown,
  subjects: FieldSubjects,
): { readonly status: 400 | 401 | 409 | 429 | 501 | 503; readonly problems: Problems } | undefined {
  const named = (err as { field?: string }).field;
  const at = named === undefined ? undefined : subjects[named];
  if (err instanceof WrongCredentialError)
    return {
      status: 401,
      problems: at ? { [at[0]]: sentence(at[1], err.message) } : { '': fullStop(err.message) },
    };
  const problem = pageProblem(c, err);
  if (!problem) return undefined;
  const problems = at ? { [at[0]]: sentence(at[1], problem.message) } : { '': fullStop(problem.message) };
  return { status: problem.status, problems };
}

/** The password field of a re-authentication and, with MFA on, the code field. */
export function reauthFields(user: Pick<Account, 'mfaEnabled'>, problems: Problems): string {
  const password = `<p><label for="current_password">Your password</label>
<input id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="1024" required${invalidIf(problems, 'current_password')}>${fieldProblem(problems, 'current_password')}</p>`;
  if (!user.mfaEnabled) return password;
  return `${password}
<p><label for="code">Code from your authenticator app, or a recovery code</label>
<input id="code" name="code" autocomplete="one-time-code" maxlength="64" required${invalidIf(problems, 'code')}>${fieldProblem(problems, 'code')}</p>`;
}

/** What a re-authentication form left empty, said next to it; undefined when nothing is missing. */
export function missingReauth(
  user: Pick<Account, 'mfaEnabled'>,
  sent: { readonly current_password?: string; readonly code?: string },
): Problems | undefined {
  if (sent.current_password === undefined) return { current_password: 'Enter your password.' };
  if (user.mfaEnabled && sent.code === undefined) return { code: 'Enter a code.' };
  return undefined;
}

/** What every signed-in page's GET may answer besides its page (for its EndpointDoc). */
export const SIGNED_IN_PAGE = {
  303: 'No live session: to /console/login',
  403: 'An operator suspended the account: a page says so',
} as const;

/** What every signed-in form's POST may answer besides its own outcomes (for its EndpointDoc). */
export const SIGNED_IN_FORM = {
  303: 'No live session: to /console/login',
  403: 'Not posted from this console (another site, or another session’s form token); or an operator suspended the account',
} as const;

/** An answer that sends the browser to `path` (303: the next request is a GET). */
export const seeOther = (c: Context, path: string): Response => c.redirect(path, 303);

/**
 * A signed-in page: the session cookie's key must be live (as for any key: revoked, expired, or an
 * account being deleted ends it) and used within the idle timeout. Otherwise the browser goes to
 * the login page, the cookie cleared. A suspended account sees only that it is suspended.
 * Posts must come from our own pages and carry the session's form token (403 otherwise): their
 * route puts formBody (with `form_token`) before this. No side effects: a page that uses none of
 * the middlewares below leaves them, and the key's verification with them, out of its build
 * (esbuild keeps a call at module scope otherwise).
 */
/* @__NO_SIDE_EFFECTS__ */
function consoleSession<T>(
  alongside?: (userId: string, c: Context) => Promise<T>,
  options: { readonly evenSuspended?: boolean } = {},
) {
  return createMiddleware<ConsoleEnv & { Variables: { alongside: T } }>(async (c, next) => {
    const key = sessionKeyOf(c);
    const now = requestNow(c);
    const read = alongside && ((userId: string) => alongside(userId, c));
    const verified = key ? await verifyApiKey({ secret: key }, now, read, requestOrigin(c)) : undefined;
    const idle =
      verified &&
      !isExpiredKey(verified) &&
      (verified.record.lastUsedAt ?? now) + config().consoleIdleSeconds < now;
    if (!key || !verified || isExpiredKey(verified) || idle) {
      // An idle session's key dies with it: the cookie was its only holder.
      if (idle) await revokeApiKey(verified.user.userId, verified.record.keyId);
      clearSession(c);
      return seeOther(c, LOGIN_PAGE);
    }
    if (isSuspended(verified.user) && !options.evenSuspended)
      return c.html(consolePage(c, 'Account suspended', `<p>${escapeHtml(ACCOUNT_SUSPENDED)}</p>`), 403);
    if (c.req.method === 'POST') {
      // Its form was read and checked first (formBody, with a form_token field).
      const sent = (c.get('body' as never) as { form_token?: unknown } | undefined)?.form_token;
      if (!postedFromConsole(c) || typeof sent !== 'string' || !sameToken(sent, formToken(key)))
        return notFromConsole(c);
    }
    c.set('user', verified.user);
    c.set('sessionKey', key);
    c.set('signedIn', { email: verified.user.email, sessionKey: key });
    c.set('sessionRecord', verified.record);
    c.set('alongside', verified.alongside);
    await next();
  });
}

export const requireConsoleSession = consoleSession();

/** requireConsoleSession for the one page a suspended account may still use: its own deletion. */
export const requireConsoleSessionEvenSuspended = consoleSession(undefined, { evenSuspended: true });

/**
 * requireConsoleSession for a page that reads more of the account: `read` goes with the key's
 * reads (one round trip), and may take what earlier middleware put on the request.
 */
export const requireConsoleSessionWith = <T>(read: (userId: string, c: Context) => Promise<T>) =>
  consoleSession(read);
