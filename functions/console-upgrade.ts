// GET /console/upgrade: what STANDARD gives, the card that will pay for it, a promo code field and
// the button; POST upgrades as POST /api/upgrade does (services/upgrade.ts) with the card on file.
import type { Context } from 'hono';
import type { Account } from '#domain/account.ts';
import { createApp } from '#http/app.ts';
import { formBody, optionalString, string } from '#http/body.ts';
import { cardSentence } from '#http/card-view.ts';
import {
  CARD_PAGE,
  CONSOLE,
  consolePage,
  fieldProblem,
  formTokenField,
  fullStop,
  invalidIf,
  type Problems,
  pageProblem,
  problemBanner,
  requireConsoleSession,
  SIGNED_IN_FORM,
  SIGNED_IN_PAGE,
  type SignedIn,
  tierLimits,
  UPGRADE_PAGE,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { upgradeAccount } from '#services/upgrade.ts';
import { escapeHtml } from '#shared/html.ts';

const NEEDS_CARD = 'STANDARD is paid by card: add one first.';

const standard = (c: Context, who: SignedIn, said: string) =>
  consolePage(
    c,
    'You are on STANDARD',
    `<p role="status">${escapeHtml(said)}</p>
<p>${escapeHtml(tierLimits('STANDARD'))}</p>
<p><a href="${CONSOLE}">Back to your account</a></p>`,
    who,
  );

function form(c: Context, who: SignedIn, user: Account, problems: Problems = {}, promo = ''): string {
  const card = user.paymentMethod;
  return consolePage(
    c,
    'Upgrade to STANDARD',
    `${problemBanner(problems[''])}<p>FREE: ${escapeHtml(tierLimits('FREE'))} STANDARD: ${escapeHtml(tierLimits('STANDARD'))} Your card pays each month.</p>
<p>${card ? `Paid by: <strong>${escapeHtml(cardSentence(card))}</strong> (<a href="${CARD_PAGE}">change</a>).` : `<strong>${escapeHtml(NEEDS_CARD)}</strong> <a href="${CARD_PAGE}">Add a card</a>`}</p>
<form method="post" action="${UPGRADE_PAGE}">${formTokenField(who.sessionKey)}
<p><label for="promo_code">Promo code (optional)</label>
<input id="promo_code" name="promo_code" maxlength="64" autocomplete="off" value="${escapeHtml(promo)}"${invalidIf(problems, 'promo_code')}>${fieldProblem(problems, 'promo_code')}</p>
<button type="submit">Upgrade to STANDARD</button>
</form>`,
    who,
  );
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: upgrade to STANDARD (the form)',
    responses: {
      200: 'The form, with the card that will pay; or, for a STANDARD account, a page saying so',
      ...SIGNED_IN_PAGE,
    },
    html: true,
  },
  post: {
    summary: 'The web console: upgrade to STANDARD',
    description:
      'As POST /api/upgrade with the card on file: a promo code adds its credit and spends one of its uses in the same write. An account already STANDARD gets the page saying so.',
    responses: {
      200: 'The account is STANDARD (upgraded now, or already)',
      ...SIGNED_IN_FORM,
      400: 'No card on file (the page says to add one), or the promo code is unknown or used up (next to its field); or the form is malformed',
      409: 'The account changed meanwhile: try again',
    },
    html: true,
  },
};

export const app = createApp()
  .get(UPGRADE_PAGE, requireConsoleSession, (c) => {
    const { user } = c.var;
    const who = c.var.signedIn;
    if (user.tier === 'STANDARD') return c.html(standard(c, who, 'Your account is on STANDARD.'));
    return c.html(form(c, who, user));
  })
  .post(
    UPGRADE_PAGE,
    formBody({ form_token: string(64), promo_code: optionalString(64) }),
    requireConsoleSession,
    async (c) => {
      const { user } = c.var;
      const who = c.var.signedIn;
      const promo = c.var.body.promo_code?.trim() ?? '';
      try {
        const done = await upgradeAccount(
          user,
          { promoCode: promo === '' ? undefined : promo },
          requestNow(c),
          requestOrigin(c),
        );
        return c.html(
          standard(
            c,
            who,
            done === 'upgraded' ? 'Upgraded: your account is on STANDARD.' : 'Your account is on STANDARD.',
          ),
        );
      } catch (err) {
        const problem = pageProblem(c, err);
        if (!problem) throw err;
        const field = (err as { field?: string }).field;
        const problems: Problems =
          field === 'promo_code'
            ? { promo_code: fullStop(problem.message) }
            : { '': field === 'stripe_token' ? NEEDS_CARD : problem.message };
        return c.html(form(c, who, user, problems, promo), problem.status);
      }
    },
  );

export const handler = handle(app);
