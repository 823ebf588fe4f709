// Typed domain errors. The HTTP layer maps each class to a status and the contract's error body
// (lib/http/errors.ts); nothing matches on message text.

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
