// The browser of a Google sign-in that the Gigalixir CLI started: opens the link the terminal
// printed at the Google stand-in, signs in as the address given, opens the callback; then types
// the code the terminal printed, or presses the one button; then, if the page asks, the
// authenticator's code (argv: link, code or "button", address, [authenticator code]).
const [link, code, email, mfa] = process.argv.slice(2);
const url = new URL(link);
const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), email });
const g = await fetch(`${url.origin}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
const back = g.headers.get('location');
const cb = await fetch(back, { redirect: 'manual' });
const cookie = cb.headers
  .getSetCookie()
  .map((l) => l.split(';')[0])
  .join('; ');
const page = await cb.text();
const text = (html) =>
  (/<main>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? html)
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 220);
console.log(
  'callback',
  cb.status,
  /name="code"/.test(page) ? '(asks for the code)' : '(one button)',
  text(page),
);
const state = new URL(back).searchParams.get('state');
const origin = new URL(back).origin;
const post = (fields) =>
  fetch(`${origin}/oauth/google/callback`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
      origin,
      'sec-fetch-site': 'same-origin',
    },
    body: new URLSearchParams({ state, ...fields }),
  });
let res = await post(code === 'button' ? {} : { code });
const html = await res.text();
console.log('post', res.status, text(html));
if (/name="mfa_token"/.test(html)) {
  res = await post({ mfa_token: mfa });
  console.log('mfa', res.status, text(await res.text()));
}
