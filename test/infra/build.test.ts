// What infra/build.ts makes of a function, checked where it decides what a cold start loads: the
// chunks loaded at start hold no code that only a lazy part uses.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFunction, type FunctionBuild } from '../../infra/build.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** Each output's source files, split into what loads at start and what loads later. */
function sources(entry: string): { atStart: string[]; lazy: string[]; build: FunctionBuild } {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-build-'));
  const build = buildFunction(join('functions', entry), dir);
  const nameOf = (output: string) => relative(dir, resolve(ROOT, output));
  const inputs = (names: readonly { name: string }[]) =>
    Object.entries(build.metafile.outputs)
      .filter(([output]) => names.some((f) => f.name === nameOf(output)))
      .flatMap(([, o]) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0))
      .map(([input]) => input);
  return { atStart: inputs(build.atStart), lazy: inputs(build.lazy), build };
}

describe('the function build', () => {
  // console-login: the DynamoDB client at start; the SES and Secrets Manager clients, otpauth and
  // argon2 lazy.
  const login = sources('console-login.ts');

  it("keeps a lazy SES client's query and XML protocols out of the start", () => {
    const protocol = /@aws-sdk\/core\/dist-es\/submodules\/protocols\/(query|xml)\//;
    expect(login.lazy.filter((i) => protocol.test(i))).not.toHaveLength(0);
    expect(login.atStart.filter((i) => protocol.test(i))).toEqual([]);
    expect(login.atStart.filter((i) => i.includes('@aws-sdk/xml-builder'))).toEqual([]);
  });

  it("keeps the SDK core's files that only the lazy protocols use off the start", () => {
    const lazyOnly =
      /serde\/(schema-serde-lib\/schema-date-utils|split-header)\.js$|protocols\/(serde\/FromStringShapeDeserializer|extended-encode-uri-component)\.js$/;
    expect(login.atStart.filter((i) => lazyOnly.test(i))).toEqual([]);
    // The SES client's XML protocol still has them (bundles.test.ts sends and reads a refusal).
    expect(login.lazy.filter((i) => lazyOnly.test(i))).toHaveLength(4);
  });

  it('leaves out the session middlewares a function does not use, and the key verification with them', () => {
    // The logins verify no key: the middlewares that do are built at module scope (http/console.ts,
    // http/auth.ts), kept only by a function that uses one (their factories have no side effects).
    const verification = 'functions/lib/services/key-verification.ts';
    expect(login.atStart).not.toContain(verification);
    expect(sources('login.ts').atStart).not.toContain(verification);
    expect(sources('console-home.ts').atStart).toContain(verification);
    expect(sources('account.ts').atStart).toContain(verification);
  });

  it("leaves the stylesheet's text to the lazy mail chunk: a page links it", () => {
    expect(login.atStart).not.toContain('functions/lib/shared/stylesheet.ts');
    expect(login.lazy).toContain('functions/lib/shared/stylesheet.ts');
  });

  it("loads the MFA page's rare changes (new codes, MFA off) on their first use, its setup at start", () => {
    const mfa = sources('console-mfa.ts');
    expect(mfa.atStart).toContain('functions/lib/services/mfa-setup.ts');
    expect(mfa.atStart).not.toContain('functions/lib/services/mfa-changes.ts');
    expect(mfa.lazy).toContain('functions/lib/services/mfa-changes.ts');
  });

  it('still gives the DynamoDB client its JSON protocol at start', () => {
    expect(login.atStart.some((i) => i.endsWith('protocols/json/AwsJson1_0Protocol.js'))).toBe(true);
  });

  it('loads no CommonJS at start', () => {
    expect(login.atStart.filter((i) => i.includes('node_modules/mnemonist/'))).toEqual([]);
    expect(login.atStart).toContain('functions/lib/shared/lru-cache.ts');
  });

  it("loads esbuild's helper chunk only where a lazy part uses it, and that part still loads", async () => {
    // payment-methods-set: Stripe (lazy) uses a helper esbuild shares in a chunk of its own, which
    // esbuild also imports, unused, from the entry (evanw/esbuild#1892).
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-build-'));
    const build = buildFunction('functions/payment-methods-set.ts', dir);
    const helpers = Object.entries(build.metafile.outputs)
      .filter(([, o]) => Object.keys(o.inputs).length === 0)
      .map(([output]) => relative(dir, resolve(ROOT, output)));
    expect(helpers).toHaveLength(1);
    expect(build.atStart.map((f) => f.name)).not.toContain(helpers[0]);
    expect(build.atStart.map((f) => f.name)).toEqual(['index.mjs']);
    const stripe = build.lazy.find((f) => f.name.startsWith('stripe'));
    expect(readFileSync(join(dir, stripe?.name ?? 'none'), 'utf8')).toContain(`"./${helpers[0]}"`);
    const loaded = (await import(join(dir, stripe?.name ?? 'none'))) as { default?: unknown };
    expect(typeof loaded.default).toBe('function');
  });

  it('loads one file at start, from which every lazy part imports what it shares with the handler', async () => {
    // Without the fold, the SDK's core (shared with the lazy SES and Secrets Manager clients) is a
    // chunk of its own at start.
    expect(login.build.atStart.map((f) => f.name)).toEqual(['index.mjs']);
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-build-'));
    const build = buildFunction('functions/console-login.ts', dir);
    const mail = build.lazy.find((f) => f.name.startsWith('send.sdk'));
    const text = readFileSync(join(dir, mail?.name ?? 'none'), 'utf8');
    expect(text).toContain('from"./index.mjs"');
    // Each module in one file only: the lazy chunk uses the copy the handler runs.
    const seen = Object.values(build.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
    expect(seen.length).toBe(new Set(seen).size);
    const entry = (await import(join(dir, 'index.mjs'))) as { handler?: unknown };
    expect(typeof entry.handler).toBe('function');
    const client = (await import(join(dir, mail?.name ?? 'none'))) as { SESClient?: unknown };
    expect(typeof client.SESClient).toBe('function');
  });
});
