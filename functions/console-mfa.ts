// GET /console/mfa: the state of multi-factor authentication and what can be done with it. Off:
// a button starts the setup (POST action=start), whose page shows the pending secret as a QR code
// (SVG) and as text to type, and takes a code from it (action=verify): MFA goes on, the ten
// recovery codes are shown once (with a download), and every key and session of the account is
// signed out, this browser's too, as POST /api/mfa/verify does. On: new recovery codes
// (action=codes, with a code) and MFA off (action=off, with the password and a code), as the
// API's; the console always asks for the code and the password, which a form can.
import type { Context } from 'hono';
import type { Account } from '#domain/account.ts';
import { createApp } from '#http/app.ts';
import { choice, formBody, optionalString, string } from '#http/body.ts';
import {
  clearSession,
  consolePage,
  fieldProblem,
  formRefusal,
  formTokenField,
  invalidIf,
  LOGIN_PAGE,
  MFA_PAGE,
  type Problems,
  problemBanner,
  REAUTH_SUBJECTS,
  requireConsoleSession,
  SIGNED_IN_PAGE,
  type SignedIn,
  seeOther,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { qrSvg } from '#http/qr-svg.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { type PendingMfa, pendingMfaOf, startMfa } from '#services/mfa-pending.ts';
import { verifyMfa } from '#services/mfa-setup.ts';
import { escapeHtml } from '#shared/html.ts';
import { lazily } from '#shared/lazy.ts';

// New codes and MFA off: rare next to the page and its setup, so loaded on their first use.
const changes = lazily(() => import('#services/mfa-changes.ts'));

/** The `code` field; `id` tells apart the code fields of two forms on one page. */
function codeField(problems: Problems, label: string, id = 'code'): string {
  const mine = { [id]: problems.code };
  return `<p><label for="${id}">${label}</label>
<input id="${id}" name="code" autocomplete="one-time-code" inputmode="text" maxlength="64" required${invalidIf(mine, id)}>${fieldProblem(mine, id)}</p>`;
}

const form = (who: SignedIn, action: string, fields: string, button: string) =>
  `<form method="post" action="${MFA_PAGE}">${formTokenField(who.sessionKey)}<input type="hidden" name="action" value="${action}">
${fields}<button type="submit">${button}</button>
</form>`;

function offPage(c: Context, who: SignedIn, status?: string, problem?: string): string {
  return consolePage(
    c,
    'Multi-factor authentication',
    `${problemBanner(problem)}${status ? `<p role="status">${escapeHtml(status)}</p>\n` : ''}<p>MFA is <strong>off</strong>: signing in needs only your password.</p>
<p>With MFA on, signing in also needs a code from an authenticator app on your phone (or a recovery code), so a stolen password alone opens nothing.</p>
${form(who, 'start', '', 'Turn MFA on')}`,
    who,
  );
}

async function setupPage(
  c: Context,
  who: SignedIn,
  pending: PendingMfa,
  problems: Problems = {},
): Promise<string> {
  const qr = await qrSvg(pending.url, 'QR code of the secret for your authenticator app');
  return consolePage(
    c,
    'Turn MFA on',
    `${problemBanner(problems[''])}<ol>
<li>Scan this QR code with your authenticator app:<br>${qr}</li>
<li>Or type this secret into it: <code id="secret">${escapeHtml(pending.typed)}</code> <span class="muted">(time-based, 6 digits, every 30 seconds)</span></li>
<li>Enter the code the app shows.</li>
</ol>
${form(who, 'verify', codeField(problems, 'Code from your authenticator app'), 'Turn MFA on')}
<p class="muted">Turning it on signs out every key and session of the account, this browser too: sign in again with a code.</p>`,
    who,
  );
}

function onPage(
  c: Context,
  who: SignedIn,
  user: Account,
  problems: Problems = {},
  which?: 'codes' | 'off',
): string {
  const left = user.mfaRecoveryCodes?.size ?? 0;
  const problemsOf = (form: 'codes' | 'off') => (which === form ? problems : {});
  const codesProblems = problemsOf('codes');
  const offProblems = problemsOf('off');
  return consolePage(
    c,
    'Multi-factor authentication',
    `${problemBanner(problems[''])}<p>MFA is <strong>on</strong>. ${left} recovery code(s) left.</p>
<h2>New recovery codes</h2>
${form(who, 'codes', codeField(codesProblems, 'Code from your authenticator app, or a recovery code'), 'Make new recovery codes')}
<p class="muted">Every earlier recovery code stops working.</p>
<h2>Turn MFA off</h2>
${form(
  who,
  'off',
  `<p><label for="current_password">Your password</label>
<input id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="1024" required${invalidIf(offProblems, 'current_password')}>${fieldProblem(offProblems, 'current_password')}</p>
${codeField(offProblems, 'Code from your authenticator app, or a recovery code', 'off_code')}`,
  'Turn MFA off',
)}`,
    who,
  );
}

/** The recovery codes, shown this once, with a download of the same text. */
function codesPage(c: Context, codes: readonly string[], intro: string, who?: SignedIn): string {
  const text = `Gatehouse recovery codes for ${who?.email ?? 'your account'}\nEach works once in place of a code.\n\n${codes.join('\n')}\n`;
  return consolePage(
    c,
    'Your recovery codes',
    `<p role="status">${escapeHtml(intro)}</p>
<p>Save them somewhere safe: each works once in place of a code, and they are not shown again.</p>
<ol class="codes">${codes.map((code) => `<li><code>${escapeHtml(code)}</code></li>`).join('')}</ol>
<p><a href="data:text/plain;charset=utf-8,${encodeURIComponent(text)}" download="gatehouse-recovery-codes.txt">Download them as a text file</a></p>
<p>${who ? `<a href="${MFA_PAGE}">Back</a>` : `<a href="${LOGIN_PAGE}">Sign in again</a> with your password and a code.`}</p>`,
    who,
  );
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: multi-factor authentication',
    description:
      'Off: a button to turn it on (or, when this browser started a setup within the hour, the setup page again with the same secret). On: new recovery codes, and MFA off.',
    query: { off: { description: 'Present after MFA was turned off, to say so' } },
    responses: {
      200: 'The page for the state MFA is in',
      ...SIGNED_IN_PAGE,
    },
    html: true,
  },
  post: {
    summary: 'The web console: turn MFA on or off, or make new recovery codes',
    description:
      '`action=start`: a pending TOTP secret (as POST /api/mfa/start; the same one for this browser within the hour), shown as a QR code (SVG) and as text. `action=verify` with `code`: MFA on (as POST /api/mfa/verify), the ten recovery codes shown once with a download, every key and session signed out, this browser too. `action=codes` with `code`: ten new recovery codes (as POST /api/mfa/recovery_codes). `action=off` with `current_password` and `code`: MFA off (as DELETE /api/mfa). Wrong passwords and codes count toward the session key’s throttle; the owner is mailed of each change.',
    responses: {
      200: 'The setup page, or the recovery codes',
      303: 'MFA is off: back to the page; or no live session: to /console/login',
      400: 'The code is not a current code of the pending secret, or a code or the password is missing (next to its field); or the form is malformed',
      401: 'The password or the code is wrong, or the recovery code was used already (next to its field)',
      403: 'Not posted from this console (another site, or another session’s form token); or an operator suspended the account',
      409: 'MFA is already on (or not on), no setup was started, or it changed meanwhile',
      429: 'Too many wrong passwords or codes with this session lately (Retry-After says when to try again)',
    },
    html: true,
  },
};

export const app = createApp()
  .get(MFA_PAGE, requireConsoleSession, async (c) => {
    const { user, sessionRecord } = c.var;
    const who = c.var.signedIn;
    if (user.mfaEnabled) return c.html(onPage(c, who, user));
    const pending = await pendingMfaOf(user, sessionRecord.keyId, requestNow(c));
    if (pending) return c.html(await setupPage(c, who, pending));
    return c.html(offPage(c, who, c.req.query('off') === undefined ? undefined : 'MFA is off.'));
  })
  .post(
    MFA_PAGE,
    formBody({
      form_token: string(64),
      action: choice(['start', 'verify', 'codes', 'off']),
      code: optionalString(64),
      current_password: optionalString(1024),
    }),
    requireConsoleSession,
    async (c) => {
      const { user, sessionRecord } = c.var;
      const who = c.var.signedIn;
      const { action, code, current_password: currentPassword } = c.var.body;
      const now = requestNow(c);
      const origin = requestOrigin(c);
      const keyId = sessionRecord.keyId;
      // What to show again, with the problem, when the action is refused.
      const again = async (problems: Problems, status: 400 | 401 | 409 | 429 | 501 | 503) => {
        if (action === 'codes' || action === 'off')
          return c.html(
            user.mfaEnabled
              ? onPage(c, who, user, problems, action)
              : offPage(c, who, undefined, problems[''] ?? problems.code ?? problems.current_password),
            status,
          );
        const pending = action === 'verify' ? await pendingMfaOf(user, keyId, now) : undefined;
        if (pending) return c.html(await setupPage(c, who, pending, problems), status);
        return c.html(
          consolePage(
            c,
            'Multi-factor authentication',
            `${problemBanner(problems[''] ?? problems.code)}<p><a href="${MFA_PAGE}">Back</a></p>`,
            who,
          ),
          status,
        );
      };
      if (action !== 'start' && code === undefined) return again({ code: 'Enter a code.' }, 400);
      if (action === 'off' && currentPassword === undefined)
        return again({ current_password: 'Enter your password.' }, 400);
      try {
        if (action === 'start')
          return c.html(await setupPage(c, who, await startMfa(user, keyId, now, origin)));
        if (action === 'verify') {
          const on = await verifyMfa(user, code ?? '', now, origin);
          // Every key went, this browser's session with it.
          clearSession(c);
          const intro = on.keysRevoked
            ? 'MFA is on. Every key and session of the account was signed out, this browser too.'
            : 'MFA is on. Some keys could not be signed out: reset your API key (gatehouse account:api_key:reset) to end them.';
          return c.html(codesPage(c, on.recoveryCodes, intro));
        }
        if (action === 'codes') {
          const codes = await (await changes()).renewRecoveryCodes(user, keyId, { code }, now, origin);
          return c.html(codesPage(c, codes, 'New recovery codes: every earlier one stopped working.', who));
        }
        await (await changes()).turnMfaOff(user, keyId, { code, currentPassword }, now, origin);
        return seeOther(c, `${MFA_PAGE}?off`);
      } catch (err) {
        const refused = formRefusal(c, err, REAUTH_SUBJECTS);
        if (!refused) throw err;
        return again(refused.problems, refused.status);
      }
    },
  );

export const handler = handle(app);
