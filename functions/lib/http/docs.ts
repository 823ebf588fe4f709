// What an endpoint says of itself in the OpenAPI document (infra/openapi.ts builds it): the parts
// its code cannot tell. Request bodies and key authentication are read from the middleware.
import type { Method } from '../../routes.ts';

interface Parameter {
  readonly description: string;
  readonly required?: boolean;
}

export interface OperationDoc {
  readonly summary: string;
  readonly description?: string;
  /** Login's Basic `email:password`. Key-authenticated routes are found from their middleware (isKeyAuthentication). */
  readonly auth?: 'password';
  readonly query?: Readonly<Record<string, Parameter>>;
  /** Request headers the operation reads, other than Authorization (the security schemes say it). */
  readonly headers?: Readonly<Record<string, Parameter>>;
  /** Path parameters (`{name}` in the route's path), by name. */
  readonly params?: Readonly<Record<string, string>>;
  /**
   * Every status the operation answers with, and when. Success bodies are `{data}` JSON (or an
   * HTML page with `html`), others the contract's error body. A test fails when a status listed
   * here is produced by no test, or when a test sees one that is not listed.
   */
  readonly responses: Readonly<Record<number, string>>;
  /** A page for people: its answers are HTML. */
  readonly html?: boolean;
  /** An asset: its success is text of this media type (the stylesheet's `text/css`). */
  readonly text?: string;
  /** JSON Schema of `data` in the success body, where it is worth stating. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** JSON Schema of the whole success body, for the one answer that is not `{data}`. */
  readonly body?: Readonly<Record<string, unknown>>;
}

export type EndpointDoc = { readonly [M in Lowercase<Method>]?: OperationDoc };

/** `data` of the answers that only say what happened: `{message}`. */
export const MESSAGE_DATA = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: { message: { type: 'string' } },
} as const;

/** `data` of the answers that show the card on file (lib/domain/cards.ts). */
export const CARD_DATA = {
  type: 'object',
  required: ['brand', 'last4', 'exp_month', 'exp_year'],
  additionalProperties: false,
  properties: {
    brand: { type: 'string' },
    last4: { type: 'string' },
    exp_month: { type: 'integer' },
    exp_year: { type: 'integer' },
  },
} as const;
