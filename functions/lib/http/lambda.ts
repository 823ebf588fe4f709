// The Lambda handler of an endpoint's app: API Gateway's HTTP API event (payload 2.0) in, its
// answer out, as hono/aws-lambda does it for that event. Hono's adapter reads five kinds of event
// (REST API, HTTP API, ALB, VPC Lattice, a response stream), 4.8 KB of every cold start where
// every function here is behind the HTTP API (infra/api.ts); it is deprecated too, to leave Hono
// in v5. test/unit/http/lambda.test.ts holds this one to Hono's answers, event for event.
import { log } from '#shared/log.ts';

/** What API Gateway's HTTP API sends a function (payload format 2.0), as far as it is read here. */
export interface HttpApiEvent {
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** The request's cookies, apart from its headers. */
  readonly cookies?: readonly string[];
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly requestContext: {
    readonly domainName?: string;
    readonly http: { readonly method: string; readonly sourceIp?: string };
  };
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/** The answer in payload format 2.0: the cookies apart, every other header once. */
export interface HttpApiResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
  isBase64Encoded: boolean;
}

/** What an app is given beside the request (`c.env`): the event, as Hono's adapter gives it. */
export interface LambdaEnv {
  readonly event: HttpApiEvent;
  readonly requestContext: HttpApiEvent['requestContext'];
  readonly lambdaContext: unknown;
}

interface App {
  fetch(request: Request, env: LambdaEnv): Response | Promise<Response>;
}

/** A header value past ASCII reaches the app percent-encoded, as Hono's adapter passes it. */
const headerValue = (value: string) => (/[\u0080-\uFFFF]/.test(value) ? encodeURIComponent(value) : value);

function toRequest(event: HttpApiEvent): Request {
  const headers = new Headers();
  if (event.cookies) headers.set('Cookie', event.cookies.join('; '));
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (value) headers.set(name, headerValue(value));
  const host = event.requestContext.domainName ?? event.headers?.host;
  const url = `https://${host}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
  const init: RequestInit = { method: event.requestContext.http.method, headers };
  if (event.body) {
    const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body);
    init.body = body;
    headers.set('content-length', String(body.length));
  }
  return new Request(url, init);
}

// Hono's rule: text, JSON and XML go as they are, anything else (or anything compressed) in base64.
const isBinary = (res: Response): boolean => {
  const type = res.headers.get('content-type');
  const encoding = res.headers.get('content-encoding');
  return (
    (!!type &&
      (/^application\/vnd\.(?:apple\.installer|mozilla\.xul)\+xml\s*(?:;|$)/i.test(type) ||
        !/^text\/(?:plain|html|css|javascript|csv)|(?:\/|\+)(?:json|xml)\s*(?:;|$)/i.test(type))) ||
    (!!encoding && !/^identity$/i.test(encoding))
  );
};

async function toResult(res: Response): Promise<HttpApiResult> {
  const isBase64Encoded = isBinary(res);
  const result: HttpApiResult = {
    body: isBase64Encoded ? Buffer.from(await res.arrayBuffer()).toString('base64') : await res.text(),
    statusCode: res.status,
    isBase64Encoded,
    headers: {},
  };
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) result.cookies = cookies;
  res.headers.forEach((value, name) => {
    if (name !== 'set-cookie') result.headers[name] = value;
  });
  return result;
}

/**
 * The function's handler. A request the event cannot make (a GET with a body, a header the Fetch
 * API refuses) is answered 400 before the app sees it, anything else going wrong there 500.
 */
export function handle(app: App): (event: HttpApiEvent, lambdaContext?: unknown) => Promise<HttpApiResult> {
  return async (event, lambdaContext) => {
    let request: Request;
    try {
      request = toRequest(event);
    } catch (err) {
      log.warn('request the event cannot make', { error: err });
      return toResult(
        err instanceof TypeError
          ? new Response('Invalid request', { status: 400 })
          : new Response('Internal Server Error', { status: 500 }),
      );
    }
    return toResult(await app.fetch(request, { event, requestContext: event.requestContext, lambdaContext }));
  };
}
