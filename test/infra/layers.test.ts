// The layer rules docs/architecture.md draws are held by the linter (biome.json, noRestrictedImports
// per folder). Each case lints a one-line module at a path of the tree, in a scratch copy of the
// configuration: a crossing must fail `npm run lint`, its allowed neighbour must pass.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const biome = join(root, 'node_modules/.bin/biome');
const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
delete config.vcs; // a scratch tree is no repository
const scratches: string[] = [];
afterAll(() => {
  for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
});

/** The noRestrictedImports messages biome gives for `source` placed at `path` of a scratch tree. */
async function restricted(path: string, source: string): Promise<string[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-layers-'));
  scratches.push(scratch);
  writeFileSync(join(scratch, 'biome.json'), JSON.stringify(config));
  const file = join(scratch, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${source}\nexport const used = probe;\n`);
  const found = await run(biome, ['lint', '--reporter=json', '--max-diagnostics=50', file], {
    cwd: scratch,
  }).then(
    (r) => r.stdout,
    (err: { stdout: string }) => err.stdout,
  );
  const report = JSON.parse(found) as { diagnostics: { category: string; message: string }[] };
  return report.diagnostics
    .filter((d) => d.category === 'lint/style/noRestrictedImports')
    .map((d) => d.message);
}

const crossings: [string, string, string][] = [
  [
    'the domain imports the data layer',
    'functions/lib/domain/x.ts',
    "import { probe } from '#data/profiles.ts';",
  ],
  [
    'the domain imports the AWS SDK',
    'functions/lib/domain/x.ts',
    "import { probe } from '@aws-sdk/lib-dynamodb';",
  ],
  ['the domain imports HTTP', 'functions/lib/domain/x.ts', "import { probe } from '#http/errors.ts';"],
  [
    'the domain reaches out by a relative path',
    'functions/lib/domain/x.ts',
    "import { probe } from '../data/keys.ts';",
  ],
  ['the data layer imports HTTP', 'functions/lib/data/x.ts', "import { probe } from '#http/errors.ts';"],
  ['the data layer imports Hono', 'functions/lib/data/x.ts', "import { probe } from 'hono';"],
  ['the data layer talks to SES', 'functions/lib/data/x.ts', "import { probe } from '@aws-sdk/client-ses';"],
  [
    'the data layer marshals items with lib-dynamodb',
    'functions/lib/data/x.ts',
    "import { probe } from '@aws-sdk/lib-dynamodb';",
  ],
  [
    'the HTTP layer reads the table itself',
    'functions/lib/http/x.ts',
    "import { probe } from '#data/document.ts';",
  ],
  [
    'the HTTP layer decodes DynamoDB itself',
    'functions/lib/http/x.ts',
    "import { probe } from '#data/client.ts';",
  ],
  ['a service imports HTTP', 'functions/lib/services/x.ts', "import { probe } from '#http/request.ts';"],
  ['a service imports Hono', 'functions/lib/services/x.ts', "import type { probe } from 'hono';"],
  ['a service calls an SDK itself', 'functions/lib/services/x.ts', "import { probe } from 'stripe';"],
  ['an adapter imports the table', 'functions/lib/adapters/x.ts', "import { probe } from '#data/client.ts';"],
  ['an adapter imports HTTP', 'functions/lib/adapters/x.ts', "import { probe } from '#http/errors.ts';"],
  [
    'the Stripe adapter talks to AWS',
    'functions/lib/adapters/stripe.ts',
    "import { probe } from '@aws-sdk/client-sfn';",
  ],
  [
    'the Step Functions adapter talks to Stripe',
    'functions/lib/adapters/step-functions.ts',
    "import { probe } from 'stripe';",
  ],
  ['mail imports HTTP', 'functions/lib/email/x.ts', "import { probe } from '#http/errors.ts';"],
  ['shared imports a layer', 'functions/lib/shared/x.ts', "import { probe } from '#domain/errors.ts';"],
  [
    'the HTTP layer calls an SDK',
    'functions/lib/http/x.ts',
    "import { probe } from '@aws-sdk/lib-dynamodb';",
  ],
  ['an endpoint decodes DynamoDB itself', 'functions/x.ts', "import { probe } from '#data/client.ts';"],
  ['an endpoint imports a layer by path', 'functions/x.ts', "import { probe } from './lib/http/app.ts';"],
  [
    "an endpoint's handler is Hono's adapter",
    'functions/x.ts',
    "import { handle as probe } from 'hono/aws-lambda';",
  ],
  ['a workflow step knows HTTP', 'functions/workflows/x.ts', "import { probe } from '#http/errors.ts';"],
];

const allowed: [string, string, string][] = [
  ['the domain imports itself', 'functions/lib/domain/x.ts', "import { probe } from './errors.ts';"],
  [
    'the data layer imports the domain and the SDK',
    'functions/lib/data/x.ts',
    "import { probe } from '#domain/account.ts';\nimport { GetItemCommand } from '@aws-sdk/client-dynamodb';\nexport const cmd = GetItemCommand;",
  ],
  [
    'a service imports data, adapters and mail',
    'functions/lib/services/x.ts',
    "import { probe } from '#data/profiles.ts';\nimport { s } from '#adapters/stripe.ts';\nimport { d } from '#email/deliver.ts';\nexport const more = [s, d];",
  ],
  ['the Stripe adapter imports Stripe', 'functions/lib/adapters/stripe.ts', "import probe from 'stripe';"],
  ['the SES sender imports SES', 'functions/lib/email/x.ts', "import { probe } from '@aws-sdk/client-ses';"],
  [
    'an endpoint imports services and HTTP',
    'functions/x.ts',
    "import { probe } from '#services/audit.ts';\nimport { h } from '#http/app.ts';\nexport const more = h;",
  ],
  ['an endpoint imports its handler', 'functions/x.ts', "import { handle as probe } from '#http/lambda.ts';"],
];

describe('the layer rules, held by the linter', () => {
  it('has a rule for every file under functions/lib: each sits in one of the role folders', () => {
    const roles = ['adapters', 'data', 'domain', 'email', 'http', 'services', 'shared'];
    const lib = join(root, 'functions/lib');
    const entries = readdirSync(lib, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? e.name : `${e.name} (a file)`,
    );
    expect(entries.sort()).toEqual(roles);
    const aliases = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).imports).sort();
    expect(aliases).toEqual(roles.map((r) => `#${r}/*`));
  });

  it.each(crossings)('refuses: %s', async (_what, path, source) => {
    expect(await restricted(path, source)).not.toEqual([]);
  });
  it.each(allowed)('allows: %s', async (_what, path, source) => {
    expect(await restricted(path, source)).toEqual([]);
  });
});
