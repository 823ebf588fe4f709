// GET /console/keys/new: the form for a named key for a machine (CI, a deploy script); POST makes
// it as POST /api/api_keys does (services/key-creation.ts): the password again, and with MFA on a
// code; the key is shown on the answer's page this once.
import type { Context } from 'hono';
import type { Account } from '#domain/account.ts';
import { KEY_LIFETIME_DAYS, type KeyScope, MAX_KEY_NAME_LENGTH } from '#domain/api-keys.ts';
import { createApp } from '#http/app.ts';
import { choice, formBody, optionalString, string } from '#http/body.ts';
import {
  consolePage,
  type FieldSubjects,
  fieldProblem,
  formRefusal,
  formTokenField,
  invalidIf,
  KEYS_PAGE,
  missingReauth,
  NEW_KEY_PAGE,
  type Problems,
  problemBanner,
  REAUTH_SUBJECTS,
  reauthFields,
  requireConsoleSession,
  SIGNED_IN_FORM,
  SIGNED_IN_PAGE,
  type SignedIn,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestOrigin, requestTime } from '#http/request.ts';
import { createNamedKey } from '#services/key-creation.ts';
import { escapeHtml } from '#shared/html.ts';

/** The lifetimes offered, in days ('' for a key that never expires). */
const LIFETIMES = ['30', '90', '365', ''] as const;
const lifetimeLabel = (days: string) => (days === '' ? 'Never expires' : `${days} days`);

const SUBJECTS: FieldSubjects = { ...REAUTH_SUBJECTS, name: ['name', 'The name'] };

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
${reauthFields(user, problems)}
<button type="submit">Create the key</button>
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
  .get(NEW_KEY_PAGE, requireConsoleSession, (c) => c.html(form(c, c.var.signedIn, c.var.user)))
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
      const { user, sessionRecord } = c.var;
      const who = c.var.signedIn;
      const { name = '', scope, expires_in_days: expires, current_password: password, code } = c.var.body;
      const typed = { name, scope, expires };
      const missing = missingReauth(user, c.var.body);
      if (missing) return c.html(form(c, who, user, missing, typed), 400);
      try {
        const key = await createNamedKey(
          user,
          sessionRecord.keyId,
          {
            name,
            scope: scope as KeyScope,
            expiresInDays: expires === 'never' ? undefined : Number(expires),
          },
          { currentPassword: password ?? '', code },
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
        const refused = formRefusal(c, err, SUBJECTS);
        if (!refused) throw err;
        return c.html(form(c, who, user, refused.problems, typed), refused.status);
      }
    },
  );

export const handler = handle(app);
