// Each route's access row against the code its bundle holds: a function that can reach the module
// that reads a secret (or sends mail, or starts the deletion) without the grant fails deployed
// only, since the local stack gives every function everything. Found so: the Google callback page
// took MFA codes without the MFA key or mail (fixed in routes.ts).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { type Route, routes } from '../../functions/routes.ts';
import { TABLE_ACTIONS } from '../../infra/api.ts';
import { buildFunction } from '../../infra/build.ts';
import { PLATFORM_FUNCTIONS, VERIFY_ACTIONS } from '../../infra/platform.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** The module each grant exists for. */
const GRANTED_BY: Record<string, string> = {
  mfaKey: 'functions/lib/services/mfa-secrets.ts',
  mail: 'functions/lib/email/send.ts',
  stripe: 'functions/lib/adapters/stripe.ts',
  googleSecret: 'functions/lib/adapters/google-oidc.ts',
  deletion: 'functions/lib/adapters/step-functions.ts',
};

/**
 * Modules a bundle holds through a shared service without ever calling them on its own paths,
 * each with the reason; everything else it holds, it must be granted.
 */
const HELD_NOT_CALLED: Record<string, Record<string, string>> = {
  signup: {
    mfaKey: 'google-sign-in.ts, for the unusable password of a Google signup; signup never checks a code',
  },

  'oauth-google-poll': { googleSecret: 'the callback exchanged the code; the poll reads the session' },
  'console-upgrade': {
    stripe:
      'services/upgrade.ts calls Stripe for a stripe_token only, which this page never sends: the card on file pays',
  },
  'oauth-google-id-token': { googleSecret: "an ID token is checked against Google's public keys" },
};

async function inputsOf(route: Route): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, 'functions', route.entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    absWorkingDir: ROOT,
    logLevel: 'error',
    // Only our own modules matter here.
    packages: 'external',
  });
  return Object.keys(result.metafile.inputs);
}

/** DynamoDB operations a built function can send, by the names its SDK code carries. */
const OPERATIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
];

describe('route access', () => {
  // DynamoDB Local enforces no IAM: a command a function's role lacks fails deployed only. The build
  // keeps only the commands its code sends (tree-shaken), so their names tell.
  /** The DynamoDB operations the build of `entry` (under functions/) can send. */
  const operationsOf = (entry: string): string[] => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-access-'));
    buildFunction(join('functions', entry), dir);
    const code = readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    return OPERATIONS.filter((o) => code.includes(`"${o}"`));
  };

  it.each(routes.filter((r) => r.access.table).map((r) => [r.id, r] as const))(
    '%s may send every DynamoDB command its build holds',
    (_id, route) => {
      const granted: string[] = [
        ...TABLE_ACTIONS[route.access.table ?? 'read'],
        ...(route.access.batchWrite ? ['dynamodb:BatchWriteItem'] : []),
      ];
      for (const op of operationsOf(route.entry))
        expect(granted, `${route.id} sends ${op}`).toContain(`dynamodb:${op}`);
    },
  );

  it.each(PLATFORM_FUNCTIONS.map((f) => [f.id, f.entry] as const))(
    '%s may send every DynamoDB command its build holds, and holds no mail, secret or workflow',
    async (id, entry) => {
      // test/integration/platform.test.ts records what is sent down each path and holds it to
      // these same actions.
      for (const op of operationsOf(entry))
        expect(VERIFY_ACTIONS, `${id} sends ${op}`).toContain(`dynamodb:${op}`);
      const inputs = await inputsOf({ entry } as Route);
      for (const module of Object.values(GRANTED_BY)) expect(inputs, id).not.toContain(module);
    },
  );

  it.each(routes.map((r) => [r.id, r] as const))(
    '%s is granted what its code can reach',
    async (id, route) => {
      const inputs = await inputsOf(route);
      const exempt = HELD_NOT_CALLED[id] ?? {};
      for (const [grant, module] of Object.entries(GRANTED_BY)) {
        const granted = (route.access as Record<string, unknown>)[grant] === true;
        if (inputs.includes(module) && !(grant in exempt))
          expect(granted, `${id} reaches ${module}`).toBe(true);
        if (grant in exempt)
          expect(inputs.includes(module), `${id}'s exemption for ${grant} is stale`).toBe(true);
      }
    },
  );
});
