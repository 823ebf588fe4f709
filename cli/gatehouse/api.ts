// The Gatehouse API as the CLI calls it: JSON in and out, the contract's error body turned into
// plain messages, and the credentials from netrc for every command that needs a key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, errorLines, UsageError } from './errors.ts';
import { type Credentials, readCredentials } from './netrc.ts';

/** The local stack (`npm start`); a deployed stack's URL is its `ApiUrl` output. */
export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
  /** Sent with the saved key (Bearer): a 401 about no field then means the key stopped working. */
  readonly viaKey?: boolean;
}

/** Basic auth as the contract has it: each part percent-encoded, then base64. */
export const basicAuth = (login: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(login)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export class Api {
  constructor(readonly baseUrl: string) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new UsageError(`Not a URL: ${baseUrl}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new UsageError(`Not an http(s) URL: ${baseUrl}`);
  }

  /**
   * The netrc machine name of this API: its host name alone, as curl's --netrc and Python's netrc
   * (the Gigalixir CLI's requests) look entries up.
   */
  get host(): string {
    return new URL(this.baseUrl).hostname;
  }

  /** The name entries had before, with the port: still read, and tidied away on login and logout. */
  get legacyHost(): string | undefined {
    const { host, hostname } = new URL(this.baseUrl);
    return host === hostname ? undefined : host;
  }

  async call(
    method: string,
    path: string,
    options: { body?: unknown; auth?: string; query?: Record<string, string | undefined> } = {},
  ): Promise<Reply> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        redirect: 'manual',
        headers: {
          accept: 'application/json',
          'user-agent': `gatehouse-cli/${VERSION}`,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.auth ? { authorization: options.auth } : {}),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (err) {
      throw new CliError(
        `Could not reach ${this.baseUrl}: ${(err as Error).cause ?? (err as Error).message}`,
      );
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body, headers: res.headers, viaKey: options.auth?.startsWith('Bearer ') };
  }

  /**
   * The credentials for this API: GATEHOUSE_API_KEY when set (CI: no netrc, no login, as
   * HEROKU_API_KEY and FLY_API_TOKEN do), else what netrc holds; a clear error when neither.
   */
  async credentials(): Promise<Credentials> {
    const fromEnv = process.env.GATEHOUSE_API_KEY?.trim();
    if (fromEnv) return { login: '', password: fromEnv };
    const found =
      (await readCredentials(this.host)) ??
      (this.legacyHost ? await readCredentials(this.legacyHost) : undefined);
    if (!found)
      throw new CliError(
        `Not logged in to ${this.host}: run \`gatehouse login\` first (or set GATEHOUSE_API_KEY).`,
      );
    return found;
  }

  /**
   * A call with this API's key from netrc. Bearer, not Basic `email:key`: the key alone names the
   * account, so it keeps working after the address changes (netrc's login is only a label).
   */
  async withKey(
    method: string,
    path: string,
    options: { body?: unknown; query?: Record<string, string | undefined> } = {},
  ) {
    const { password } = await this.credentials();
    return this.call(method, path, { ...options, auth: `Bearer ${password}` });
  }
}

/** The `data` of a 2xx answer, or the API's messages as an error. */
export function dataOf<T>(reply: Reply): T {
  if (reply.status >= 200 && reply.status < 300) return (reply.body as { data: T } | undefined)?.data as T;
  throw failure(reply);
}

/** A 401 to a request made with the saved key that is about the key, not a field (a password). */
const keyRefused = (reply: Reply) => {
  const errors = (reply.body as { errors?: Record<string, unknown> } | undefined)?.errors;
  return reply.status === 401 && reply.viaKey === true && Object.keys(errors ?? {}).every((k) => k === '');
};

const INVALID_CREDENTIALS = 'Invalid credentials';

export function failure(reply: Reply): CliError {
  const lines = errorLines(reply.body);
  // The server says more than "invalid" when it knows more (an expired key): that goes first.
  const said = lines.filter((line) => line !== INVALID_CREDENTIALS);
  if (keyRefused(reply) && process.env.GATEHOUSE_API_KEY?.trim())
    return new CliError(
      [
        ...said,
        'The API key in GATEHOUSE_API_KEY no longer works. Make a new one with `gatehouse account:api_keys:create` and put it there.',
      ].join('\n'),
    );
  if (keyRefused(reply))
    return new CliError(
      said.length > 0
        ? said.join('\n')
        : 'The saved API key no longer works: it was revoked (by turning MFA on, a password reset, a key reset, or a logout). Run `gatehouse login`.',
    );
  if (reply.status === 401 && lines.length === 0)
    return new CliError('Not authorized: log in again with `gatehouse login`.');
  if (reply.status === 429) {
    const wait = reply.headers.get('retry-after');
    return new CliError(
      [...lines, ...(wait ? [`Try again in ${wait} s.`] : [])].join('\n') || 'Too many requests.',
    );
  }
  return new CliError(lines.join('\n') || `The API answered ${reply.status}.`);
}

/** The package's version: `gatehouse --version`, and the user agent the API sees. */
export const VERSION = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
).version;
