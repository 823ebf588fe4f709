// Typed domain errors. The HTTP layer maps each class to a status and the contract's error body
// (lib/http/errors.ts); nothing matches on message text.

import { ACCOUNT_SUSPENDED } from './messages.ts';

export class DomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that is well-formed JSON but breaks a rule: 400 with the message under `field`. */
export class ValidationError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Wrong or missing credentials. The message is the same whatever was wrong. */
export class AuthenticationError extends DomainError {
  constructor(message = 'Invalid credentials') {
    super(message);
  }
}

/** A link or code that does not exist, was used, was replaced, or expired. */
export class InvalidTokenError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Too many attempts; try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests, please try again later',
  ) {
    super(message);
  }
}

/** A request that may not do this from where it comes (another browser, another site): 403. */
export class ForbiddenError extends DomainError {}

/** An operator suspended the account: its keys and logins are refused (403) until lifted. */
export class AccountSuspendedError extends ForbiddenError {
  constructor() {
    super(ACCOUNT_SUSPENDED);
  }
}

/** The state changed under the request (a concurrent change): 409. */
export class ConflictError extends DomainError {}

/** The address already belongs to an account. Never shown to a client as such (enumeration). */
export class EmailTakenError extends DomainError {
  constructor() {
    super('Email address already registered');
  }
}

/**
 * The password was right but the second factor is missing or wrong: 303 with `errors.mfa_token`
 * (no Location, so clients do not follow it; they ask for a code and retry).
 */
export class SecondFactorRequiredError extends DomainError {}

/** The wrong secret for a named field (the current password, a second-factor code): 401. */
export class WrongCredentialError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A feature this deployment was not given the settings for (Stripe, Google): 501. */
export class NotConfiguredError extends DomainError {}

/** An outside service failed or was unreachable; trying again later may work: 503 with Retry-After. */
export class UnavailableError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 60,
  ) {
    super(message);
  }
}

/** An outside service answered, but not as it should (a failed exchange with Google): 502. */
export class UpstreamError extends DomainError {}

/**
 * A write lost a race: what it was guarded on changed under it (a parallel sign-in, MFA turned on,
 * another poll took the key). Nothing was written: a 409, or what the caller makes of it.
 */
export class ChangedMeanwhileError extends ConflictError {}

// The deletion workflow's own failures, named as its definition matches them
// (functions/workflows/account-deletion.asl.json): thrown by the data layer, read by workflows/step.ts.

/** A failure worth another attempt of the same step (the workflow retries it with backoff). */
export class TransientError extends Error {
  override name = 'Gatehouse.Transient';
}

/** The account is not being deleted by this execution (withdrawn, failed, or retried under another). */
export class NotThisDeletionError extends Error {
  override name = 'Gatehouse.NotThisDeletion';
}
