// GET /console/account/payment-method: the card on file, and a button to add or replace it. The
// card is typed at Stripe, never here: POST makes a Stripe Checkout session (setup mode) and sends
// the browser there; Stripe sends it back to this page with `session_id`, and the card it saved
// becomes the account's default, as PUT /api/payment_methods would make it.
import type { Context } from 'hono';
import { BILLING_NOT_CONFIGURED, checkoutOrigin } from '#adapters/stripe.ts';
import type { Card } from '#domain/cards.ts';
import { allowFormRedirectTo, createApp } from '#http/app.ts';
import { formBody, string } from '#http/body.ts';
import { cardSentence } from '#http/card-view.ts';
import {
  CARD_PAGE,
  CONSOLE,
  consolePage,
  formTokenField,
  pageProblem,
  problemBanner,
  requireConsoleSession,
  type SignedIn,
  UPGRADE_PAGE,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { audit } from '#services/audit.ts';
import { finishCardCheckout, startCardCheckout } from '#services/payment-methods.ts';
import { config, stripeSettings } from '#shared/config.ts';
import { escapeHtml } from '#shared/html.ts';

const TITLE = 'Your card';
function page(
  c: Context,
  who: SignedIn,
  card: Card | undefined,
  said: { readonly status?: string; readonly problem?: string; readonly free?: boolean } = {},
): string {
  // The form's answer is a redirect to Stripe's page: the browser holds it to this page's form-action.
  allowFormRedirectTo(c, checkoutOrigin());
  return consolePage(
    c,
    TITLE,
    `${problemBanner(said.problem)}${said.status ? `<p role="status">${escapeHtml(said.status)}</p>\n` : ''}<p>${card ? `On file: <strong>${escapeHtml(cardSentence(card))}</strong>.` : 'No card on file.'}</p>
<form method="post" action="${CARD_PAGE}">${formTokenField(who.sessionKey)}
<button type="submit">${card ? 'Replace the card' : 'Add a card'}</button>
</form>
<p class="muted">You type the card at Stripe, our payment provider; its number never reaches Gatehouse. It pays the invoices of a STANDARD account.</p>
${said.free && card ? `<p><a href="${UPGRADE_PAGE}">Upgrade to STANDARD</a></p>` : `<p><a href="${CONSOLE}">Back to your account</a></p>`}`,
    who,
  );
}

const notConfigured = (c: Context, who: SignedIn) =>
  c.html(consolePage(c, TITLE, `<p>${escapeHtml(BILLING_NOT_CONFIGURED)}</p>`, who), 501);

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: the card on file',
    description:
      'The card on file and a button to add or replace it. Back from Stripe Checkout with `session_id`, the card that session saved becomes the account’s default (as PUT /api/payment_methods makes it), once the session is found to be this account’s; coming back twice sets it twice. `canceled` says no card was added.',
    query: {
      session_id: { description: 'The Stripe Checkout session Stripe sent the browser back from' },
      canceled: { description: 'Present when the person left Stripe’s page without saving a card' },
    },
    responses: {
      200: 'The page (with the card just saved, when back from Stripe)',
      303: 'No live session: to /console/login',
      400: 'The session_id is not this account’s card setup, or no card was saved in it: the page says so',
      403: 'An operator suspended the account: a page says so',
      409: 'The account changed meanwhile (its Stripe customer was replaced, or its deletion began): try again',
      501: 'Billing is not configured on this server',
      503: 'Stripe did not answer (Retry-After: 60)',
    },
    html: true,
  },
  post: {
    summary: 'The web console: add or replace the card (to Stripe Checkout)',
    description:
      'Makes the account’s Stripe customer on first need and a Checkout session in setup mode, and sends the browser to Stripe’s page, which comes back to GET /console/account/payment-method.',
    responses: {
      303: 'To Stripe’s card page; or, with no live session, to /console/login',
      400: 'The form is malformed (no form token)',
      403: 'Not posted from this console (another site, or another session’s form token); or an operator suspended the account',
      409: 'The account changed meanwhile: try again',
      501: 'Billing is not configured on this server',
      503: 'Stripe did not answer (Retry-After: 60)',
    },
    html: true,
  },
};

export const app = createApp()
  .get(CARD_PAGE, requireConsoleSession, async (c) => {
    const { user } = c.var;
    const who = c.var.signedIn;
    if (!stripeSettings()) return notConfigured(c, who);
    const free = user.tier === 'FREE';
    const sessionId = c.req.query('session_id');
    if (sessionId === undefined) {
      const status = c.req.query('canceled') === undefined ? undefined : 'No card was added.';
      return c.html(page(c, who, user.paymentMethod, { status, free }));
    }
    const now = requestNow(c);
    try {
      const card = await finishCardCheckout(user, sessionId, now);
      await audit(
        {
          name: 'billing.payment_method_set',
          userId: user.userId,
          ...requestOrigin(c),
          detail: { brand: card.brand },
        },
        now,
      );
      return c.html(page(c, who, card, { status: 'Your card is saved.', free }));
    } catch (err) {
      const problem = pageProblem(c, err);
      if (!problem) throw err;
      return c.html(page(c, who, user.paymentMethod, { problem: problem.message, free }), problem.status);
    }
  })
  .post(CARD_PAGE, formBody({ form_token: string(64) }), requireConsoleSession, async (c) => {
    const { user } = c.var;
    const who = c.var.signedIn;
    if (!stripeSettings()) return notConfigured(c, who);
    const here = `${config().publicBaseUrl}${CARD_PAGE}`;
    try {
      return c.redirect(await startCardCheckout(user, here, `${here}?canceled`), 303);
    } catch (err) {
      const problem = pageProblem(c, err);
      if (!problem) throw err;
      return c.html(page(c, who, user.paymentMethod, { problem: problem.message }), problem.status);
    }
  });

export const handler = handle(app);
