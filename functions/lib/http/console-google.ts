// The cookie of a console's Google sign-in: the session id itself, kept by the browser that
// started, sent back with Google's redirect to the callback (which checks it: only the browser that
// started may finish) and then to the console's finish page, which collects the session with it.
// Lax, since Google's redirect is a navigation from another site; Path=/ for both pages.
import { config } from '#shared/config.ts';
import { type BrowserCookie, browserCookie } from './csrf.ts';

export const consoleGoogleCookie = (): BrowserCookie =>
  browserCookie('gatehouse-console-google', config().publicBaseUrl, '/', 'Lax');
