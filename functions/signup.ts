// POST /api/signup: the staged signup of the CLI. The body names its step:
//   {email} → {uuid, confirmation_code} → {uuid, password} → [{uuid, promo_code}] → {uuid, tier}
// (`stripe_token` and `oauth` arrive with billing and Google sign-in). Each step moves the session
// on atomically; a step out of order says which one is next.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { googleConfig } from '#adapters/google-config.ts';
import { checkNotBreached } from '#adapters/pwned-passwords.ts';
import { createCustomer, setDefaultPaymentMethod, stripeConfig } from '#adapters/stripe.ts';
import { newKeyRecord } from '#data/api-keys.ts';
import { claimMailSlot } from '#data/mail-rate.ts';
import { getUserByEmail } from '#data/profiles.ts';
import { getPromo } from '#data/promos.ts';
import {
  acceptCode,
  clearSignupPromo,
  countWrongCode,
  createSignup,
  deleteSignup,
  finalizeSignup,
  getSignup,
  reserveSignupUserId,
  type SignupSession,
  setSignupBilling,
  setSignupPassword,
  setSignupPromo,
} from '#data/signups.ts';
import { isSuspended } from '#domain/account.ts';
import { newApiKey } from '#domain/api-keys.ts';
import { checkNotDisposable } from '#domain/disposable.ts';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { RateLimitedError } from '#domain/errors.ts';
import { checkPasswordPolicy } from '#domain/password-policy.ts';
import { hashPassword } from '#domain/passwords.ts';
import {
  CODE_SECONDS,
  codeDigest,
  codeMatches,
  isCodeShaped,
  MAX_WRONG_CODES,
  newConfirmationCode,
  nextStepMessage,
  normalizePromoCode,
  SIGNUP_SESSION_SECONDS,
  type SignupStep,
  TIERS,
} from '#domain/signup.ts';
import { newSecret } from '#domain/tokens.ts';
import { deliver } from '#email/deliver.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, optionalString } from '#http/body.ts';
import { clientIp } from '#http/client-ip.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { general, HttpError } from '#http/errors.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin, requestTime } from '#http/request.ts';
import { terminalUrl } from '#http/terminal-start.ts';
import { limitPerIp } from '#http/throttle.ts';
import { withFloor } from '#http/timing.ts';
import { auditItem, auditLog } from '#services/audit.ts';
import { unusablePasswordHash } from '#services/google-sign-in.ts';
import { startGoogleFlow } from '#services/google-start.ts';
import { checkStripeToken } from '#services/payment-methods.ts';
import { config } from '#shared/config.ts';

const STEP_FIELDS = ['confirmation_code', 'password', 'promo_code', 'stripe_token', 'tier'] as const;
type StepField = (typeof STEP_FIELDS)[number];

const schema = {
  email: optionalString(MAX_EMAIL_LENGTH),
  uuid: optionalString(64),
  confirmation_code: optionalString(16),
  password: optionalString(1024),
  promo_code: optionalString(64),
  stripe_token: optionalString(255),
  tier: optionalString(16),
  oauth: optionalString(16),
};

const SESSION_GONE = 'This signup has ended or expired. Start again with your email.';
const fieldError = (field: string, message: string) => new HttpError(400, { [field]: [message] });
const outOfOrder = (next: SignupStep) => new HttpError(400, general(nextStepMessage(next)));

/** Step 1: a session and a code by mail; a taken address gets the same answer and a notice. */
function start(c: Context, rawEmail: string) {
  return withFloor(async () => {
    const email = normalizeEmail(rawEmail);
    checkNotDisposable(email);
    await limitPerIp(c, 'signup');
    const now = requestNow(c);
    const slot = await claimMailSlot('signup-code', email, now);
    if (!slot.ok) {
      throw new RateLimitedError(
        slot.retryAfter,
        'A code was sent to this address less than a minute ago. Please wait.',
      );
    }
    const existing = await getUserByEmail(email);
    const uuid = randomUUID();
    const code = newConfirmationCode();
    await createSignup({
      uuid,
      email,
      step: 'code',
      // For a taken address, a digest of a secret nobody holds: no code ever matches.
      codeHash: codeDigest(uuid, existing ? newSecret() : code),
      codeExpiresAt: now + CODE_SECONDS,
      wrongCodes: 0,
      createdAt: new Date(now * 1000).toISOString(),
      expiresAt: now + SIGNUP_SESSION_SECONDS,
    });
    // A suspended account's address hears nothing (the answer is the same either way).
    if (!isSuspended(existing))
      await deliver(
        'signup-code',
        email,
        existing ? ['alreadyRegisteredMessage'] : ['confirmationCodeMessage', code],
      );
    return c.json({ data: { uuid } });
  });
}

async function verifyCode(c: Context, session: SignupSession, code: string, now: number) {
  if (!isCodeShaped(code)) throw fieldError('confirmation_code', 'should be 6 digits');
  if (session.codeExpiresAt <= now) {
    await deleteSignup(session.uuid);
    throw fieldError('confirmation_code', 'This code has expired. Start again with your email.');
  }
  const hash = session.codeHash ?? '';
  if (codeMatches(session.uuid, code, hash) && (await acceptCode(session.uuid, hash, now))) {
    return c.json({ data: { uuid: session.uuid } });
  }
  if ((await countWrongCode(session.uuid)) >= MAX_WRONG_CODES) {
    await deleteSignup(session.uuid);
    throw fieldError(
      'confirmation_code',
      'Too many wrong codes: this signup has ended. Start again with your email.',
    );
  }
  throw fieldError('confirmation_code', 'is incorrect');
}

async function choosePassword(c: Context, session: SignupSession, password: string) {
  await checkPasswordPolicy(password, session.email);
  await checkNotBreached(password, config().breachedPasswordCheck);
  if (!(await setSignupPassword(session.uuid, await hashPassword(password))))
    throw new HttpError(400, general(SESSION_GONE));
  return c.json({ data: { uuid: session.uuid } });
}

async function applyPromo(c: Context, session: SignupSession, raw: string) {
  const code = normalizePromoCode(raw);
  const promo = code ? await getPromo(code) : undefined;
  if (!promo || promo.remainingUses <= 0) throw fieldError('promo_code', 'Invalid promo code');
  if (!(await setSignupPromo(session.uuid, { code: promo.code, creditCents: promo.creditCents }))) {
    throw new HttpError(400, general(SESSION_GONE));
  }
  return c.json({ data: { promo: { code: promo.code, credit_cents: promo.creditCents } } });
}

/**
 * The payment step of a STANDARD signup: the account id is reserved and its Stripe customer and
 * card are made now, so that a card Stripe refuses fails here and no account is ever made without
 * one. A retry finds the same customer (the idempotency key comes from the reserved id).
 */
async function choosePayment(c: Context, session: SignupSession, token: string) {
  checkStripeToken(token);
  stripeConfig();
  const userId = await reserveSignupUserId(session.uuid, randomUUID());
  if (!userId) throw new HttpError(400, general(SESSION_GONE));
  const customerId = await createCustomer(userId, session.email);
  const paymentMethod = await setDefaultPaymentMethod(customerId, token);
  if (!(await setSignupBilling(session.uuid, userId, { customerId, paymentMethod }))) {
    throw new HttpError(400, general(SESSION_GONE));
  }
  return c.json({ data: { uuid: session.uuid } });
}

async function finish(c: Context, session: SignupSession, tier: string, now: number) {
  if (!(TIERS as readonly string[]).includes(tier)) throw fieldError('tier', 'must be FREE or STANDARD');
  if (tier === 'STANDARD' && !session.billing && !session.promo) {
    throw fieldError('tier', 'STANDARD needs a payment method: send stripe_token first, or choose FREE.');
  }
  // The id reserved at the payment step, which the Stripe customer is already bound to.
  const userId = session.userId ?? randomUUID();
  const key = newApiKey(userId);
  const origin = requestOrigin(c);
  const events = [
    {
      name: 'signup',
      userId,
      ...origin,
      detail: {
        flow: session.googleSub ? 'google' : 'staged',
        ...(session.promo ? { promo: session.promo.code } : {}),
      },
    },
    { name: 'api_key.minted', userId, ...origin, detail: { keyId: key.id } },
  ] as const;
  const result = await finalizeSignup({
    session,
    standard: tier === 'STANDARD',
    passwordHash: session.googleSub ? await unusablePasswordHash() : (session.passwordHash ?? ''),
    userId,
    key: newKeyRecord(userId, key, requestTime(c).at, { origin }),
    now,
    alsoWrite: events.map((e) => auditItem(e, now)),
  });
  switch (result) {
    case 'created':
      for (const e of events) auditLog(e);
      return c.json({ data: { email: session.email, key: key.key } });
    case 'email-taken':
      throw new HttpError(
        409,
        general(
          session.googleSub
            ? 'This address already has an account. Log in with Google instead (gatehouse login:google).'
            : 'This address already has an account. Log in instead.',
        ),
      );
    case 'identity-taken':
      throw new HttpError(
        409,
        general('This Google account already has a Gatehouse account. Log in with Google instead.'),
      );
    case 'promo-used-up':
      await clearSignupPromo(session.uuid);
      throw fieldError(
        'promo_code',
        'This promo code has just been used up. Send the tier again to finish without it.',
      );
    case 'session-gone':
      throw new HttpError(400, general(SESSION_GONE));
  }
}

/**
 * Google signup: the client shows `code` and opens `url`, polls `session` (GET
 * /api/oauth/google/{session}) until the address is proven, then sends the tier step with `uuid`.
 */
async function startGoogle(c: Context, body: Partial<Record<keyof typeof schema, string>>) {
  if (body.oauth !== 'google') throw fieldError('oauth', 'must be google');
  if (Object.keys(body).length > 1)
    throw new HttpError(400, general('Start a Google signup with oauth alone'));
  googleConfig(); // 501 where Google is not configured, before anything is counted
  await limitPerIp(c, 'signup');
  const uuid = randomUUID();
  const { session, url, code } = await startGoogleFlow('signup', requestNow(c), clientIp(c), uuid);
  return c.json({ data: { uuid, session, url: terminalUrl(c, url, code), code } });
}

/** Which step the body is, or a 400 that says how to send one. */
function stepOf(body: Partial<Record<keyof typeof schema, string>>): StepField {
  const named = STEP_FIELDS.filter((field) => body[field] !== undefined);
  if (named.length !== 1 || named[0] === undefined) {
    throw new HttpError(400, general(`Send uuid with one of ${STEP_FIELDS.join(', ')}`));
  }
  return named[0];
}

export const doc: EndpointDoc = {
  post: {
    summary: 'Sign up step by step (the CLI): email, code, password, promo code, payment, tier',
    description:
      'Each request is one step: `{email}` starts a session and mails a 6-digit code (valid 30 minutes; a taken address is mailed a notice instead, and no code matches), then `{uuid, confirmation_code}`, `{uuid, password}`, optionally `{uuid, promo_code}` and `{uuid, stripe_token}`, and last `{uuid, tier}`, which creates the confirmed account and returns its first API key. `{oauth: "google"}` starts a Google signup instead: open `url`, poll GET /api/oauth/google/{session}, then send the tier step. A session lives one hour; the fifth wrong code ends it.',
    responses: {
      200: 'The step is done: the session `uuid` for the next step; after promo_code, the promo applied; after oauth, the Google sign-in to open and poll; after tier, the address and the first API key',
      400: 'Not exactly one step, a step out of order, or a uuid that is missing, malformed, unknown or expired; an invalid or disposable address; a code that is not 6 digits, wrong or expired (the fifth wrong one ends the signup); a password the rules refuse (12 to 256 characters, not containing the address or the product name, not common, not breached); an unknown or used-up promo code; a stripe_token that is malformed or that Stripe refuses; oauth other than google or sent with other fields; a tier other than FREE or STANDARD, or STANDARD without a card or a promo',
      409: 'At the tier step: the address already has an account, or the Google account already has a Gatehouse account',
      429: 'Too many requests from this IP, or a code was mailed to this address less than a minute ago (Retry-After says when to try again)',
      501: 'Google sign-in (oauth) or billing (stripe_token) is not configured on this server',
      503: 'Stripe did not answer at the stripe_token step: nothing was changed, try again (Retry-After: 60)',
    },
    data: {
      oneOf: [
        {
          type: 'object',
          description:
            'After email, confirmation_code, password or stripe_token: the session to send the next step with',
          required: ['uuid'],
          additionalProperties: false,
          properties: { uuid: { type: 'string', format: 'uuid' } },
        },
        {
          type: 'object',
          description: 'After promo_code: the promo that finishing will apply',
          required: ['promo'],
          additionalProperties: false,
          properties: {
            promo: {
              type: 'object',
              required: ['code', 'credit_cents'],
              additionalProperties: false,
              properties: { code: { type: 'string' }, credit_cents: { type: 'integer' } },
            },
          },
        },
        {
          type: 'object',
          description:
            'After oauth: the signup session, the Google sign-in session to poll, the URL to open and the code the browser must be given back',
          required: ['uuid', 'session', 'url', 'code'],
          additionalProperties: false,
          properties: {
            uuid: { type: 'string', format: 'uuid' },
            session: { type: 'string' },
            url: {
              type: 'string',
              description:
                'Google’s authorization URL. For the Gigalixir CLI (`User-Agent: GigalixirCLI/…`), which prints this field alone, the URL is followed by a newline and a line naming `code`',
            },
            code: { type: 'string' },
          },
        },
        {
          type: 'object',
          description: 'After tier: the account is made; its address and first API key',
          required: ['email', 'key'],
          additionalProperties: false,
          properties: { email: { type: 'string', format: 'email' }, key: { type: 'string' } },
        },
      ],
    },
  },
};

export const app = createApp().post('/api/signup', jsonBody(schema), async (c) => {
  const body = c.var.body;
  if (body.oauth !== undefined) return startGoogle(c, body);
  if (body.email !== undefined) {
    if (Object.keys(body).length > 1) throw new HttpError(400, general('Start a signup with email alone'));
    return start(c, body.email);
  }
  if (body.uuid === undefined) throw fieldError('uuid', "can't be blank");
  if (!/^[0-9a-f-]{36}$/.test(body.uuid)) throw fieldError('uuid', 'is invalid');
  const field = stepOf(body);
  const value = body[field] as string;
  await limitPerIp(c, 'signup-step');
  const now = requestNow(c);
  const session = await getSignup(body.uuid, now);
  if (!session) throw fieldError('uuid', SESSION_GONE);
  const expected: Record<StepField, SignupStep> = {
    confirmation_code: 'code',
    password: 'password',
    promo_code: 'tier',
    stripe_token: 'tier',
    tier: 'tier',
  };
  if (session.step !== expected[field]) throw outOfOrder(session.step);
  switch (field) {
    case 'confirmation_code':
      return verifyCode(c, session, value, now);
    case 'password':
      return choosePassword(c, session, value);
    case 'promo_code':
      return applyPromo(c, session, value);
    case 'stripe_token':
      return choosePayment(c, session, value);
    case 'tier':
      return finish(c, session, value, now);
  }
});

export const handler = handle(app);
