import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  InvalidTokenError,
  NotConfiguredError,
  RateLimitedError,
  SecondFactorRequiredError,
  UnavailableError,
  UpstreamError,
  ValidationError,
  WrongCredentialError,
} from '#domain/errors.ts';
import { log } from '#shared/log.ts';

/** The contract's error body: messages by field, `""` for those that belong to no field. */
export type ErrorBody = { errors: Record<string, string[]> };

/** An error that already knows its HTTP answer (bad headers, bad JSON, too large, ...). */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly errors: Record<string, string[]>,
    readonly headers: Record<string, string> = {},
  ) {
    super(Object.values(errors).flat().join('; '));
  }
}

export const general = (message: string): Record<string, string[]> => ({ '': [message] });

/** Maps any thrown value to the contract's error response; unknown errors become a bare 500. */
export function errorResponse(c: Context, err: unknown): Response {
  const send = (status: ContentfulStatusCode, errors: Record<string, string[]>, headers = {}) =>
    c.json<ErrorBody>({ errors }, status, headers);

  if (err instanceof HttpError) return send(err.status, err.errors, err.headers);
  if (err instanceof ValidationError) return send(400, { [err.field]: [err.message] });
  if (err instanceof InvalidTokenError) return send(400, { [err.field]: [err.message] });
  if (err instanceof AuthenticationError) return send(401, general(err.message));
  if (err instanceof WrongCredentialError) return send(401, { [err.field]: [err.message] });
  if (err instanceof SecondFactorRequiredError) return send(303, { mfa_token: [err.message] });
  if (err instanceof ForbiddenError) return send(403, general(err.message));
  if (err instanceof ConflictError) return send(409, general(err.message));
  if (err instanceof NotConfiguredError) return send(501, general(err.message));
  if (err instanceof UpstreamError) return send(502, general(err.message));
  if (err instanceof UnavailableError) {
    return send(503, general(err.message), { 'Retry-After': String(err.retryAfterSeconds) });
  }
  if (err instanceof RateLimitedError) {
    return send(429, general(err.message), { 'Retry-After': String(err.retryAfterSeconds) });
  }
  if (err instanceof HTTPException && err.status < 500) {
    return send(err.status as ContentfulStatusCode, general(err.message || 'Bad request'));
  }
  log.error('unhandled error', { error: err, path: c.req.path, method: c.req.method });
  return send(500, general('Internal server error'));
}
