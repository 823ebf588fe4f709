// What a terminal is handed to start a Google sign-in (a login, or a signup's Google step). The
// Gigalixir CLI prints `url` alone ("To signup browse to <url>") and never `code`, which the page
// after Google asks for: for that client, `url` is followed by a line that names the code. A line
// of its own, not a part of the link: a link forwarded to someone else must not carry its code
// (docs/security.md, "The Gigalixir CLI's code, on a line under the link").
import type { Context } from 'hono';

/** The reference client's User-Agent: `GigalixirCLI/<version>` on every request it sends. */
const PRINTS_ONLY_THE_URL = /^GigalixirCLI\//;

/** The line printed under the link, for a client that prints nothing but the link. */
export const codeLine = (code: string): string =>
  `and type the code ${code} where the page asks for it, after Google.`;

/** `url` as this client should be given it: the link, and for a client that shows no code, its code. */
export function terminalUrl(c: Context, url: string, code: string): string {
  return PRINTS_ONLY_THE_URL.test(c.req.header('user-agent') ?? '') ? `${url}\n${codeLine(code)}` : url;
}
