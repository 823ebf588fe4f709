// GET /console/keys/new: the form for a named key for a machine (CI, a deploy script); POST makes
// it as POST /api/api_keys does (services/key-creation.ts): the password again, and with MFA on a
// code; the key is shown on the answer's page this once.
import type { Context } from 'hono';
import { handle } from 'hono/aws-lambda';
import type { Account } from '#domain/account.ts';
import { KEY_LIFETIME_DAYS, type KeyScope, MAX_KEY_NAME_LENGTH } from '#domain/api-keys.ts';
import { WrongCredentialError } from '#domain/errors.ts';
import { createApp } from '#http/app.ts';
import { choice, formBody, optionalString, string } from '#http/body.ts';
import {
  consolePage,
  fieldProblem,
  formTokenField,
  fullStop,
  invalidIf,
  KEYS_PAGE,
  NEW_KEY_PAGE,
  type Problems,
  pageProblem,
  problemBanner,
  requireConsoleSession,
  SIGNED_IN_FORM,
  SIGNED_IN_PAGE,
  sentence,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { requestOrigin, requestTime } from '#http/request.ts';
import { createNamedKey } from '#services/key-creation.ts';
import { escapeHtml } from '#shared/html.ts';

type SignedIn = { readonly email: string; readonly sessionKey: string };

/** The lifetimes offered, in days ('' for a key that never expires). */
const LIFETIMES = ['30', '90', '365', ''] as const;
const lifetimeLabel = (days: string) => (days === '' ? 'Never expires' : `${days} days`);

const SUBJECTS: Record<string, string> = {
  name: 'The name',
  current_password: 'The password',
  mfa_token: 'The code',
};
const FIELD_OF: Record<string, string> = { mfa_token: 'code' };

interface Typed {
  readonly name?: string;
  readonly scope?: string;
  readonly expires?: string;
}

function form(c: Context, who: SignedIn, user: Account, problems: Problems = {}, typed: Typed = {}): string {
  const scope = typed.scope ?? 'full';
  const expires = typed.expires ?? '90';
  const radio = (name: string, value: string, label: string, checked: boolean) =>
    `<label class="choice"><input type="radio" name="${name}" value="${value}"${checked ? ' checked' : ''}> ${label}</label>`;
  return consolePage(
    c,
    'New API key',
    `${problemBanner(problems[''])}<form method="post" action="${NEW_KEY_PAGE}">${formTokenField(who.sessionKey)}
<p><label for="name">Name (what uses it, e.g. “CI deploys”)</label>
<input id="name" name="name" maxlength="${MAX_KEY_NAME_LENGTH}" value="${escapeHtml(typed.name ?? '')}" required${invalidIf(problems, 'name')}>${fieldProblem(problems, 'name')}</p>
<fieldset><legend>What it may do</legend>
${radio('scope', 'full', 'Everything a login’s key may do', scope === 'full')}
${radio('scope', 'read', 'Read only (GET requests)', scope === 'read')}
</fieldset>
<fieldset><legend>Expires</legend>
${LIFETIMES.map((d) => radio('expires_in_days', d === '' ? 'never' : d, lifetimeLabel(d), expires === d || (d === '' && expires === 'never'))).join('\n')}
</fieldset>
<p><label for="current_password">Your password</label>
<input id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="1024" required${invalidIf(problems, 'current_password')}>${fieldProblem(problems, 'current_password')}</p>
${
  user.mfaEnabled
    ? `<p><label for="code">Code from your authenticator app, or a recovery code</label>
<input id="code" name="code" autocomplete="one-time-code" maxlength="64" required${invalidIf(problems, 'code')}>${fieldProblem(problems, 'code')}</p>\n`
    : ''
}<button type="submit">Create the key</button>
</form>
<p class="muted">The key is shown once, on the next page. You are mailed that it was made. <a href="${KEYS_PAGE}">Back to the keys</a></p>`,
    who,
  );
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: a new named API key (the form)',
    responses: {
      200: 'The form',
      ...SIGNED_IN_PAGE,
    },
    html: true,
  },
  post: {
    summary: 'The web console: make a named API key',
    description: `As POST /api/api_keys: \`name\`, \`scope\` (full or read), \`expires_in_days\` (${KEY_LIFETIME_DAYS.min} to ${KEY_LIFETIME_DAYS.max}, or \`never\`), the current password, and with MFA on \`code\`; wrong ones count toward the session key’s throttle. The key is shown on the answer's page this once; the owner is mailed.`,
    responses: {
      200: 'The new key, shown this once',
      ...SIGNED_IN_FORM,
      400: 'A field is missing or not valid (next to it); or the form is malformed',
      401: 'The password or the code is wrong (next to its field)',
      409: 'The account has 50 keys that still work, or it changed meanwhile; no key was made',
      429: 'Too many wrong passwords or codes with this session lately (Retry-After says when to try again)',
    },
    html: true,
  },
};

export const app = createApp()
  .get(NEW_KEY_PAGE, requireConsoleSession, (c) =>
    c.html(form(c, { email: c.var.user.email, sessionKey: c.var.sessionKey }, c.var.user)),
  )
  .post(
    NEW_KEY_PAGE,
    formBody({
      form_token: string(64),
      name: optionalString(MAX_KEY_NAME_LENGTH * 4),
      scope: choice(['full', 'read']),
      expires_in_days: choice(['30', '90', '365', 'never']),
      current_password: optionalString(1024),
      code: optionalString(64),
    }),
    requireConsoleSession,
    async (c) => {
      const { user, sessionKey, sessionRecord } = c.var;
      const who = { email: user.email, sessionKey };
      const { name = '', scope, expires_in_days: expires, current_password: password, code } = c.var.body;
      const typed = { name, scope, expires };
      if (password === undefined)
        return c.html(form(c, who, user, { current_password: 'Enter your password.' }, typed), 400);
      if (user.mfaEnabled && code === undefined)
        return c.html(form(c, who, user, { code: 'Enter a code.' }, typed), 400);
      try {
        const key = await createNamedKey(
          user,
          sessionRecord.keyId,
          {
            name,
            scope: scope as KeyScope,
            expiresInDays: expires === 'never' ? undefined : Number(expires),
          },
          { currentPassword: password, code },
          requestTime(c),
          requestOrigin(c),
        );
        return c.html(
          consolePage(
            c,
            'Your new API key',
            `<p role="status">The key “${escapeHtml(key.name)}” is made (${key.scope === 'read' ? 'read only' : 'full'}, ${key.expiresAt === undefined ? 'never expires' : `expires ${escapeHtml(new Date(key.expiresAt * 1000).toISOString().slice(0, 10))}`}). Copy it now: it is not shown again.</p>
<p><label for="key">The key</label>
<input id="key" value="${escapeHtml(key.key)}" readonly spellcheck="false" autocomplete="off"></p>
<p class="muted">Use it as the password of HTTP Basic with your address, or as <code>Authorization: Bearer …</code>.</p>
<p><a href="${KEYS_PAGE}">Back to the keys</a></p>`,
            who,
          ),
        );
      } catch (err) {
        const field = (err as { field?: string }).field ?? '';
        const at = FIELD_OF[field] ?? (field in SUBJECTS ? field : '');
        if (err instanceof WrongCredentialError)
          return c.html(
            form(c, who, user, { [at]: sentence(SUBJECTS[field] ?? 'This', err.message) }, typed),
            401,
          );
        const problem = pageProblem(c, err);
        if (!problem) throw err;
        const said =
          at && SUBJECTS[field]
            ? sentence(SUBJECTS[field] ?? '', problem.message)
            : fullStop(problem.message);
        return c.html(form(c, who, user, { [at]: said }, typed), problem.status);
      }
    },
  );

export const handler = handle(app);
