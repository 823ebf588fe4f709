// The OpenAPI 3.1 document, generated from the route table, each endpoint's app (the body schema
// its middleware validates with, whether it takes an API key) and the `doc` it exports. The result
// is committed as functions/openapi.json, which GET /api/openapi.json serves; a test fails when the
// committed file differs from what this builds. `npm run openapi` writes it.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Hono } from 'hono';
import { isKeyAuthentication, refusesSuspended } from '#http/auth.ts';
import { BODY_SPEC, type BodySpec } from '#http/body.ts';
import type { EndpointDoc, OperationDoc } from '#http/docs.ts';
import { type Method, type Route, routes } from '../functions/routes.ts';
import pkg from '../package.json' with { type: 'json' };

export const OPENAPI_FILE = resolve(import.meta.dirname, '../functions/openapi.json');

type Json = Record<string, unknown>;

/** Statuses every body-taking or key-taking operation answers with, from the shared middleware. */
const BODY_STATUSES: Record<number, string> = {
  400: 'A field is missing, too long, not a string, unknown, or given twice; or the body is not a JSON object',
  413: 'The body is over 16 KiB',
  415: 'The body is not of the media type this operation takes',
};
const KEY_STATUSES: Record<number, string> = {
  400: 'Malformed Authorization header',
  401: 'No API key, an unknown, revoked or expired key (an expired one is told so), a key sent with another address, or an account that is not active',
};
/** Every key middleware but account deletion's refuses a suspended account's keys (lib/http/auth.ts). */
const SUSPENDED_KEY_STATUSES: Record<number, string> = {
  403: 'An operator suspended the account: contact support',
};
/** A read-only key (scope `read`) may only read: every other method is refused (lib/http/auth.ts). */
const CHANGING_KEY_STATUSES: Record<number, string> = {
  403: 'The API key can only read (scope read)',
};

const errorsRef = { $ref: '#/components/schemas/Errors' };
/** Every 429 and 503 says when to come back (lib/http/errors.ts, adapters/stripe.ts, account-destroy.ts). */
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1 },
  },
};

/** Every JSON 401 names the schemes it takes (lib/http/app.ts). */
const WWW_AUTHENTICATE = {
  'WWW-Authenticate': {
    description:
      'The schemes this API takes: `Basic realm="Gatehouse", charset="UTF-8", Bearer realm="Gatehouse"`',
    schema: { type: 'string' },
  },
};

const components = {
  securitySchemes: {
    apiKey: {
      type: 'http',
      scheme: 'bearer',
      description: 'An API key from GET /api/login (Basic `email:key` is accepted too).',
    },
    emailAndKey: {
      type: 'http',
      scheme: 'basic',
      description: 'Basic `email:key`, each part percent-encoded, as Gigalixir-style clients send it.',
    },
    emailAndPassword: {
      type: 'http',
      scheme: 'basic',
      description: 'Basic `email:password`, each part percent-encoded: only GET /api/login takes it.',
    },
  },
  schemas: {
    Errors: {
      type: 'object',
      description:
        'Messages by field; the key `""` holds those that belong to no field. 429 answers carry Retry-After.',
      required: ['errors'],
      additionalProperties: false,
      properties: {
        errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};

/** The app's handlers for one method and path, middleware included, in order. */
function handlersOf(app: Hono, method: Method, path: string): unknown[] {
  const honoPath = path.replace(/\{(\w+)\}/g, ':$1');
  return app.routes.filter((r) => r.method === method && r.path === honoPath).map((r) => r.handler);
}

function bodySpecOf(handlers: unknown[]): BodySpec | undefined {
  for (const handler of handlers) {
    const spec = (handler as { [BODY_SPEC]?: BodySpec })[BODY_SPEC];
    if (spec) return spec;
  }
  return undefined;
}

function requestBody(spec: BodySpec): Json {
  const entries = Object.entries(spec.schema);
  const schema: Json = {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      // Lengths in code points, as validate() counts them; an optional field may also be null.
      entries.map(([name, field]) => [
        name,
        field.type === 'integer'
          ? { type: field.optional ? ['integer', 'null'] : 'integer', minimum: field.min, maximum: field.max }
          : {
              type: field.optional ? ['string', 'null'] : 'string',
              minLength: 1,
              maxLength: field.max,
              ...(field.oneOf ? { enum: [...field.oneOf, ...(field.optional ? [null] : [])] } : {}),
            },
      ]),
    ),
  };
  const required = entries.filter(([, field]) => !field.optional).map(([name]) => name);
  if (required.length > 0) schema.required = required;
  return { required: !spec.optional, content: { [spec.mediaType]: { schema } } };
}

/**
 * One response. `own`: the endpoint answers it itself (a page answers with HTML); `shared`: the
 * shared middleware answers it too, always with the JSON error body.
 */
function response(
  status: number,
  description: string,
  doc: OperationDoc,
  own: boolean,
  shared: boolean,
): Json {
  if (status === 204) return { description };
  const errors = { 'application/json': { schema: errorsRef } };
  const headers =
    status === 429 || status === 503
      ? { headers: RETRY_AFTER }
      : status === 401 && !doc.html
        ? { headers: WWW_AUTHENTICATE }
        : {};
  if (doc.text && own && status < 300)
    return { description, content: { [doc.text]: { schema: { type: 'string' } } } };
  if (doc.html && own) {
    const html = { 'text/html': { schema: { type: 'string' } } };
    return { description, ...headers, content: shared ? { ...html, ...errors } : html };
  }
  if (status >= 300) return { description, ...headers, content: errors };
  if (doc.body) return { description, content: { 'application/json': { schema: doc.body } } };
  const data = doc.data ?? {};
  return {
    description,
    content: {
      'application/json': {
        schema: { type: 'object', required: ['data'], additionalProperties: false, properties: { data } },
      },
    },
  };
}

function operation(route: Route, method: Method, app: Hono, doc: OperationDoc): Json {
  const handlers = handlersOf(app, method, route.path);
  if (handlers.length === 0) throw new Error(`${route.entry} serves no ${method} ${route.path}`);
  const body = bodySpecOf(handlers);
  const keyed = handlers.some(isKeyAuthentication);
  // Statuses the shared middleware produces, joined to the operation's own reasons for the same.
  const shared: Record<number, string> = {};
  for (const [status, reason] of [
    ...(body ? Object.entries(BODY_STATUSES) : []),
    ...(keyed ? Object.entries(KEY_STATUSES) : []),
    ...(handlers.some(refusesSuspended) ? Object.entries(SUSPENDED_KEY_STATUSES) : []),
    ...(keyed && method !== 'GET' ? Object.entries(CHANGING_KEY_STATUSES) : []),
  ]) {
    shared[Number(status)] = shared[Number(status)] ? `${shared[Number(status)]}; ${lower(reason)}` : reason;
  }
  const statuses: Record<number, string> = { ...shared };
  for (const [status, own] of Object.entries(doc.responses)) {
    const common = shared[Number(status)];
    statuses[Number(status)] = common ? `${own}; ${lower(common)}` : own;
  }
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({
      name,
      in: 'path',
      required: true,
      description: doc.params?.[name] ?? missing(`${route.id}: path parameter ${name} has no description`),
      schema: { type: 'string' },
    })),
    ...(['query', 'header'] as const).flatMap((where) =>
      Object.entries((where === 'query' ? doc.query : doc.headers) ?? {}).map(([name, p]) => ({
        name,
        in: where,
        required: p.required ?? false,
        description: p.description,
        schema: { type: 'string' },
      })),
    ),
  ];
  const security = keyed
    ? [{ apiKey: [] }, { emailAndKey: [] }]
    : doc.auth === 'password'
      ? [{ emailAndPassword: [] }]
      : [];
  return {
    operationId: route.methods.length > 1 ? `${route.id}-${method.toLowerCase()}` : route.id,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [tagOf(route.path)],
    security,
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: requestBody(body) } : {}),
    responses: Object.fromEntries(
      Object.entries(statuses)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([status, description]) => [
          status,
          response(
            Number(status),
            description,
            doc,
            Number(status) in doc.responses,
            Number(status) in shared,
          ),
        ]),
    ),
  };
}

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const missing = (message: string): never => {
  throw new Error(message);
};

/** Groups operations by the first path segment after /api: users, api_keys, mfa, ... */
function tagOf(path: string): string {
  const [first = '', second = ''] = path.split('/').filter(Boolean);
  return first === 'api' ? second : 'pages';
}

export async function buildOpenApiDocument(): Promise<Json> {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const module = (await import(/* @vite-ignore */ `../functions/${route.entry}`)) as {
      app: Hono;
      doc?: EndpointDoc;
    };
    for (const method of route.methods) {
      const doc =
        module.doc?.[method.toLowerCase() as Lowercase<Method>] ??
        missing(`${route.entry} exports no doc for ${method} (export const doc: EndpointDoc)`);
      paths[route.path] ??= {};
      (paths[route.path] as Json)[method.toLowerCase()] = operation(route, method, module.app, doc);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse account API',
      version: pkg.version,
      description:
        'Accounts for a hosting platform: signup, login with API keys, account status, billing, MFA, Google sign-in, deletion. Errors share one body: {"errors": {"<field>": ["message"]}}.',
    },
    paths,
    components,
  };
}

/** The document as it is committed: stable key order, two-space indent, a final newline. */
export const serialize = (document: Json): string => `${JSON.stringify(document, null, 2)}\n`;

if (process.argv[1] === import.meta.filename) {
  writeFileSync(OPENAPI_FILE, serialize(await buildOpenApiDocument()));
  console.log(`wrote ${OPENAPI_FILE}`);
}
