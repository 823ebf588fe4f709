// What a browser does at the local Google stand-in and on the way back, for tests that drive
// `npm start` (the API, or the CLI) over HTTP.
import { expect } from 'vitest';

/**
 * At the provider: sign in as `email`, follow the redirect back, and do what the page asks (press
 * its button, or type the terminal's code), as a browser does (with the cookie the page set, and
 * its origin). True when the page asked for the button (the terminal's own network).
 */
export async function throughGoogle(started: { url: string; code: string }, email: string): Promise<boolean> {
  const url = new URL(started.url);
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Sign in with Google');
  const consent = await fetch(`${url.origin}/authorize`, {
    method: 'POST',
    body: new URLSearchParams({ ...Object.fromEntries(url.searchParams), email }),
    redirect: 'manual',
  });
  const back = new URL(consent.headers.get('location') as string);
  const form = await fetch(back);
  expect(form.status).toBe(200);
  // On the terminal's own machine the page asks for one press of a button; elsewhere for the code.
  const sameNetwork = (await form.text()).includes('Sign in to the terminal that asked at');
  const state = back.searchParams.get('state') as string;
  // The cookie the page set, and what a browser says of a post from that page.
  const [cookie = ''] = form.headers.getSetCookie();
  const post = (fields: Record<string, string>) =>
    fetch(new URL('callback', back), {
      method: 'POST',
      body: new URLSearchParams({ state, ...fields }),
      headers: {
        cookie: cookie.split(';')[0] as string,
        origin: back.origin,
        'sec-fetch-site': 'same-origin',
      },
    });
  const done = await post(sameNetwork ? {} : { code: started.code });
  expect(done.status).toBe(200);
  const said = await done.text();
  expect(said).toContain('Return to your terminal');
  return sameNetwork;
}
