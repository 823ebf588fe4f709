// Our cookie reader and writer against Hono's (which the console used before): the same answer for
// every header a browser or an attacker may send, the same Set-Cookie for every cookie we set.
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { describe, expect, it } from 'vitest';
import { type CookieOptions, clearCookie, readCookie, writeCookie } from '#http/cookies.ts';

const NAME = '__Host-gatehouse-console';
const KEY = 'gh_key_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKiss-_';
const headers = [
  undefined,
  '',
  `${NAME}=${KEY}`,
  `other=1; ${NAME}=${KEY}; third=3`,
  ` ${NAME} = ${KEY} `,
  `${NAME}="${KEY}"`,
  `${NAME}=`,
  `${NAME}`,
  `${NAME}=first; ${NAME}=second`,
  `x${NAME}=no; ${NAME}=yes`,
  `gatehouse-console=plain; ${NAME}=hosted`,
  `${NAME}=%41%42`,
  `${NAME}=%E0%A4%A`,
  `${NAME}=a;b`,
  `${NAME}=with\\backslash; ${NAME}=after`,
  `${NAME}=tab\there`,
  `${NAME}="`,
];

const app = new Hono().get('/', (c) =>
  c.json({ ours: readCookie(c, NAME) ?? null, hono: getCookie(c, NAME) || null }),
);

describe('readCookie', () => {
  it('reads what Hono read, header for header', async () => {
    for (const cookie of headers) {
      const res = await app.request('/', { headers: cookie === undefined ? {} : { cookie } });
      const { ours, hono } = (await res.json()) as { ours: string | null; hono: string | null };
      expect({ cookie, ours }).toEqual({ cookie, ours: hono });
    }
  });

  it('takes no value with a space or comma in it, which no secret of ours has (Hono would)', async () => {
    const res = await app.request('/', { headers: { cookie: `${NAME}=a,b; ${NAME}=c d` } });
    expect(await res.json()).toEqual({ ours: null, hono: 'a,b' });
  });
});

/** The Set-Cookie headers of a response whose handler calls `set`; what it throws, thrown. */
async function written(set: (c: Parameters<typeof readCookie>[0]) => void): Promise<string[]> {
  let thrown: unknown;
  const res = await new Hono()
    .onError((err) => {
      thrown = err;
      return new Response(null, { status: 500 });
    })
    .get('/', (c) => {
      set(c);
      return c.body(null, 204);
    })
    .request('/');
  if (thrown) throw thrown;
  return res.headers.getSetCookie();
}

describe('writeCookie', () => {
  const cases: [string, CookieOptions, number][] = [
    [NAME, { secure: true, sameSite: 'Lax', path: '/' }, 604_800],
    ['__Host-gatehouse-google', { secure: true, sameSite: 'Strict', path: '/' }, 600],
    ['gatehouse-console-mfa', { secure: false, sameSite: 'Strict', path: '/console/login' }, 300],
  ];

  it('writes what Hono wrote, attribute for attribute, and clears as it cleared', async () => {
    for (const [name, options, maxAge] of cases) {
      const hono = { httpOnly: true, ...options };
      expect(await written((c) => writeCookie(c, name, KEY, options, maxAge))).toEqual(
        await written((c) => setCookie(c, name, KEY, { ...hono, maxAge })),
      );
      expect(await written((c) => clearCookie(c, name, options))).toEqual(
        await written((c) => deleteCookie(c, name, hono)),
      );
    }
  });

  it('refuses a __Host- cookie that is not Secure at Path=/', async () => {
    await expect(
      written((c) => writeCookie(c, NAME, KEY, { secure: false, sameSite: 'Lax', path: '/' }, 1)),
    ).rejects.toThrow(/Secure with Path=\//);
    await expect(
      written((c) => writeCookie(c, NAME, KEY, { secure: true, sameSite: 'Lax', path: '/console' }, 1)),
    ).rejects.toThrow(/Secure with Path=\//);
  });
});
