// Request bodies: JSON only, bounded in size, every field declared and bounded. A body that breaks
// any of this is answered with a 4xx before a handler runs, so handlers only see valid input.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { general, HttpError } from './errors.ts';

/** 16 KiB: far above any legitimate request of this API, far below what would cost us. */
export const MAX_BODY_BYTES = 16 * 1024;

interface StringField<Optional extends boolean> {
  readonly type: 'string';
  readonly max: number;
  readonly optional: Optional;
  /** The only values it may take, when it is a choice. */
  readonly oneOf?: readonly string[];
}

interface IntegerField<Optional extends boolean> {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  readonly optional: Optional;
}

/** A required string of 1 to `max` characters. */
export const string = (max: number): StringField<false> => ({ type: 'string', max, optional: false });
/** An optional string of 1 to `max` characters. */
export const optionalString = (max: number): StringField<true> => ({ type: 'string', max, optional: true });
/** A required string that is one of `values`. */
export const choice = (values: readonly string[]): StringField<false> => ({
  type: 'string',
  max: Math.max(...values.map((v) => v.length)),
  optional: false,
  oneOf: values,
});
/** An optional whole number from `min` to `max` (a JSON number: "90" is not one). */
export const optionalInteger = (min: number, max: number): IntegerField<true> => ({
  type: 'integer',
  min,
  max,
  optional: true,
});

export type Field = StringField<boolean> | IntegerField<boolean>;
export type Schema = Record<string, Field>;

/**
 * What a body middleware accepts, attached to it so that the OpenAPI document (infra/openapi.ts)
 * is generated from the very schema each endpoint validates with.
 */
export interface BodySpec {
  readonly mediaType: 'application/json' | 'application/x-www-form-urlencoded';
  readonly schema: Schema;
  /** No body at all stands for `{}` (optionalJsonBody). */
  readonly optional: boolean;
}
export const BODY_SPEC = Symbol.for('gatehouse.body-spec');
const described = <M extends object>(middleware: M, spec: BodySpec) =>
  Object.assign(middleware, { [BODY_SPEC]: spec });
type RequiredKeys<S extends Schema> = {
  [K in keyof S]: S[K]['optional'] extends false ? K : never;
}[keyof S];
type OptionalKeys<S extends Schema> = Exclude<keyof S, RequiredKeys<S>>;
type ValueOf<F extends Field> = F extends IntegerField<boolean> ? number : string;
export type Infer<S extends Schema> = { [K in RequiredKeys<S>]: ValueOf<S[K]> } & {
  [K in OptionalKeys<S>]?: ValueOf<S[K]>;
};

/** What is wrong with a present value of `field`, or undefined when nothing is. */
function problemWith(field: Field, value: unknown): string | undefined {
  if (field.type === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be a whole number';
    return value < field.min || value > field.max ? `must be from ${field.min} to ${field.max}` : undefined;
  }
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return "can't be blank";
  if (field.oneOf)
    return field.oneOf.includes(value) ? undefined : `must be one of: ${field.oneOf.join(', ')}`;
  if ([...value].length > field.max) return `should be at most ${field.max} character(s)`;
  return undefined;
}

/** Checks a parsed body against a schema; all problems are reported at once, by field. */
export function validate<S extends Schema>(schema: S, input: unknown): Infer<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HttpError(400, general('The request body must be a JSON object'));
  }
  // No prototype: a field named `__proto__` must become a key of the error body, not its prototype.
  const errors: Record<string, string[]> = Object.create(null);
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!Object.hasOwn(schema, key)) errors[key] = ['is not allowed'];
  }
  const out: Record<string, string | number> = {};
  for (const [key, field] of Object.entries(schema)) {
    const value = body[key];
    if (value === undefined || value === null) {
      if (!field.optional) errors[key] = ["can't be blank"];
      continue;
    }
    const problem = problemWith(field, value);
    if (problem) errors[key] = [problem];
    else out[key] = value as string | number;
  }
  if (Object.keys(errors).length > 0) throw new HttpError(400, errors);
  return out as Infer<S>;
}

/** Reads the raw body, refusing more than `limit` bytes (413) and invalid UTF-8 (400). */
export async function readBody(c: Context, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > limit) throw tooLarge(limit);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, general('The request body is not valid UTF-8'));
  }
}

const tooLarge = (limit: number) =>
  new HttpError(413, general(`The request body must be at most ${limit / 1024} KiB`));

function requireMediaType(c: Context, expected: string): void {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== expected) throw new HttpError(415, general(`Content-Type must be ${expected}`));
}

/**
 * The first key that appears twice in one object of a JSON text (already known to parse), or
 * undefined. JSON.parse keeps the last silently; a body that says two things is refused instead.
 */
export function duplicateKey(text: string): string | undefined {
  const stack: ({ keys: Set<string> } | null)[] = []; // null: an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return key;
        top.keys.add(key);
      }
      expectKey = false;
      i = end;
    } else if (ch === '{') {
      stack.push({ keys: new Set() });
      expectKey = true;
    } else if (ch === '[') {
      stack.push(null);
      expectKey = false;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      expectKey = stack.at(-1) != null;
    }
  }
  return undefined;
}

/** Middleware: a JSON body that matches `schema`, available to the handler as `c.var.body`. */
export function jsonBody<S extends Schema>(schema: S) {
  const middleware = createMiddleware<{ Variables: { body: Infer<S> } }>(async (c, next) => {
    requireMediaType(c, 'application/json');
    const text = await readBody(c);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HttpError(400, general('The request body is not valid JSON'));
    }
    const repeated = duplicateKey(text);
    if (repeated !== undefined) throw new HttpError(400, { [repeated]: ['is given more than once'] });
    c.set('body', validate(schema, parsed));
    await next();
  });
  return described(middleware, { mediaType: 'application/json', schema, optional: false });
}

/**
 * Middleware: like jsonBody, but an empty body stands for `{}`, whatever its Content-Type: clients
 * that send their one parameter in the query string post nothing, and the Gigalixir CLI labels
 * every request `application/json`, bodies or not.
 */
export function optionalJsonBody<S extends Schema>(schema: S) {
  const withBody = jsonBody(schema);
  const middleware = createMiddleware<{ Variables: { body: Infer<S> } }>(async (c, next) => {
    // Read once within the limits; Hono keeps it for jsonBody's own read.
    if ((await readBody(c)).length === 0) {
      c.set('body', validate(schema, {}));
      return next();
    }
    return withBody(c, next);
  });
  return described(middleware, { mediaType: 'application/json', schema, optional: true });
}

/** Middleware: an HTML form post (`application/x-www-form-urlencoded`), validated like JSON. */
export function formBody<S extends Schema>(schema: S) {
  const middleware = createMiddleware<{ Variables: { body: Infer<S> } }>(async (c, next) => {
    requireMediaType(c, 'application/x-www-form-urlencoded');
    const params = new URLSearchParams(await readBody(c));
    for (const key of new Set(params.keys())) {
      if (params.getAll(key).length > 1) throw new HttpError(400, { [key]: ['is given more than once'] });
    }
    // A browser sends every field of a form, an optional one left empty as ``: that is no value.
    const fields = Object.fromEntries(
      [...params].filter(([key, value]) => !(value === '' && schema[key]?.optional)),
    );
    c.set('body', validate(schema, fields));
    await next();
  });
  return described(middleware, {
    mediaType: 'application/x-www-form-urlencoded',
    schema,
    optional: false,
  });
}
