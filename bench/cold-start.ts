// Cold start, as far as it can be measured off Lambda: each function bundled as `cdk deploy`
// bundles it (esbuild, ESM, minified, AWS SDK inside, the lazy modules outside, with what
// infra/lambda.ts puts beside each bundle: the word lists, the Stripe SDK where it is called), its
// size from esbuild's metafile, and the median time to import it in a fresh Node process, runs
// interleaved across all bundles so that machine noise hits each alike. Figures are ratios to two
// baselines bundled in the same run: an empty handler, and a minimal Hono + DynamoDB client
// handler. Then what the first use pays for what was left out of the import: reading each list,
// loading the Stripe SDK. Results: bench/results.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { routes } from '../functions/routes.ts';
import { deletionSteps } from '../functions/workflows/steps.ts';
import {
  besideBundle,
  DEFAULT_MEMORY_MB,
  LAZY_MODULES,
  UNUSED_CREDENTIAL_PROVIDERS,
} from '../infra/lambda.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SIZE_BUDGET = 330 * 1024;
const TIME_BUDGET = 1.1;

const out = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
const baselines = {
  'baseline: empty handler': 'export const handler = async () => ({ statusCode: 200, body: "" });\n',
  'baseline: Hono + DynamoDB client': `import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const db = new DynamoDBClient({});
const app = new Hono().get('/', async (c) => c.json(await db.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }))));
export const handler = handle(app);
`,
};

/** The bundle of `entry` and what goes beside it, as infra/lambda.ts has NodejsFunction make them. */
async function bundle(
  name: string,
  entry: string,
  options: { external?: readonly string[]; stripe?: boolean } = {},
): Promise<{ file: string; bytes: number }> {
  const dir = join(out, name.replace(/[^\w-]+/g, '_'));
  mkdirSync(dir);
  const file = join(dir, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    metafile: true,
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    absWorkingDir: ROOT,
    external: [...(options.external ?? [...UNUSED_CREDENTIAL_PROVIDERS, ...LAZY_MODULES])],
    logLevel: 'error',
  });
  for (const command of besideBundle(ROOT, dir, { stripe: options.stripe }))
    execFileSync('sh', ['-c', command], { cwd: ROOT });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  return { file, bytes };
}

const baselineFiles = Object.entries(baselines).map(([name, code]): [string, string] => {
  const file = join(ROOT, 'bench', `.${name.replace(/[^\w]+/g, '_')}.ts`);
  writeFileSync(file, code);
  return [name, file];
});
// The lists' reader alone, to time a first use of each list.
const listsFile = join(ROOT, 'bench', '.lists.ts');
writeFileSync(listsFile, "export { listSet } from '#domain/lists.ts';\n");
type Entry = [name: string, entry: string, stripe?: boolean];
const entries: Entry[] = [
  ...baselineFiles,
  ...routes.map((r): Entry => [r.id, join(ROOT, 'functions', r.entry), r.access.stripe]),
  ['cleanup-unconfirmed', join(ROOT, 'functions/jobs/cleanup-unconfirmed.ts')],
  ...deletionSteps.map((s): Entry => [s.id, join(ROOT, 'functions', s.entry), s.access.stripe]),
];

/** The memory each function is deployed with (routes name theirs; the rest get the default). */
const memoryOf = new Map<string, number>(routes.map((r) => [r.id, r.memoryMb ?? DEFAULT_MEMORY_MB]));
/** Deployed memory must leave at least this many times the resident set after loading. */
const MEMORY_HEADROOM = 2;

type Bundle = { file: string; bytes: number; times: number[]; rss: number[] };
const bundles = new Map<string, Bundle>();
for (const [name, entry, stripe] of entries)
  bundles.set(name, { ...(await bundle(name, entry, { stripe })), times: [], rss: [] });
// The choice infra/lambda.ts makes, measured: the same baseline with every credential provider in.
const ALL_PROVIDERS = 'baseline: Hono + DynamoDB, every credential provider bundled';
bundles.set(ALL_PROVIDERS, {
  ...(await bundle('all-providers', baselineFiles[1]?.[1] as string, { external: [] })),
  times: [],
  rss: [],
});
const lists = await bundle('lists', listsFile);
for (const file of [...baselineFiles.map(([, f]) => f), listsFile]) execFileSync('rm', ['-f', file]);

// What a cold start pays before the first request: loading and evaluating the module.
const env = {
  ...process.env,
  TABLE_NAME: 't',
  MAIL_FROM: 'a@b.co',
  PUBLIC_BASE_URL: 'https://x.example',
  AWS_REGION: 'eu-west-1',
};
// And the resident set once loaded: the floor of the memory a function needs.
const probe = `const t=performance.now();await import(process.argv[1]);const ms=performance.now()-t;process.stdout.write(JSON.stringify({ms,rss:process.memoryUsage().rss}));`;
for (let run = 0; run < RUNS; run++) {
  for (const b of bundles.values()) {
    const { ms, rss } = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', probe, b.file], { env }).toString(),
    ) as { ms: number; rss: number };
    b.times.push(ms);
    b.rss.push(rss);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

// What the first use pays, once per container, for what the import no longer does: each list read
// by the bundled reader beside its data files, the SDK imported from beside a billing bundle.
const billing = routes.find((r) => r.access.stripe)?.id as string;
const stripeDir = dirname((bundles.get(billing) as Bundle).file);
const listProbe = (name: string) =>
  `const {listSet}=await import(${JSON.stringify(lists.file)});const t=performance.now();listSet('${name}');process.stdout.write(String(performance.now()-t));`;
const firstUseProbes = {
  commonPasswords: listProbe('commonPasswords'),
  disposableDomains: listProbe('disposableDomains'),
  stripe: `await import('./index.mjs');const t=performance.now();const {default:S}=await import('stripe');if(typeof S!=='function')throw new Error('no SDK');process.stdout.write(String(performance.now()-t));`,
};
const firstUse = Object.fromEntries(
  Object.entries(firstUseProbes).map(([what, probe]) => {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++)
      times.push(
        Number(
          execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
            env,
            cwd: stripeDir,
          }).toString(),
        ),
      );
    return [what, Number(median(times).toFixed(1))];
  }),
) as Record<keyof typeof firstUseProbes, number>;
const hono = bundles.get('baseline: Hono + DynamoDB client') as { bytes: number; times: number[] };
const honoMs = median(hono.times);
const rows = [...bundles.entries()].map(([name, b]) => {
  const ms = median(b.times);
  const ratio = ms / honoMs;
  const isBaseline = name.startsWith('baseline');
  const rssMb = Math.round(Math.max(...b.rss) / 2 ** 20);
  const memoryMb = isBaseline ? undefined : (memoryOf.get(name) ?? DEFAULT_MEMORY_MB);
  return {
    name,
    kb: Math.round(b.bytes / 1024),
    importMs: Number(ms.toFixed(1)),
    ratioToHonoDynamo: Number(ratio.toFixed(2)),
    meetsSize: isBaseline || b.bytes <= SIZE_BUDGET,
    meetsTime: isBaseline || ratio <= TIME_BUDGET,
    rssMb,
    memoryMb,
    meetsMemory: memoryMb === undefined || memoryMb >= MEMORY_HEADROOM * rssMb,
  };
});

console.log(`Cold start: ${RUNS} interleaved imports per bundle, Node ${process.version}`);
console.log(
  `${'function'.padEnd(36)} ${'KB'.padStart(6)} ${'import ms'.padStart(10)} ${'× Hono+DDB'.padStart(11)} ${'RSS MB'.padStart(7)} ${'memory'.padStart(7)}  budget`,
);
for (const r of rows) {
  const verdict = r.name.startsWith('baseline')
    ? ''
    : r.meetsSize && r.meetsTime
      ? 'met'
      : `MISSED (${[!r.meetsSize && `> ${SIZE_BUDGET / 1024} KB`, !r.meetsTime && `> ${TIME_BUDGET}×`].filter(Boolean).join(', ')})`;
  const memory = r.memoryMb === undefined ? '' : `${r.memoryMb}${r.meetsMemory ? '' : '!'}`;
  console.log(
    `${r.name.padEnd(36)} ${String(r.kb).padStart(6)} ${r.importMs.toFixed(1).padStart(10)} ${r.ratioToHonoDynamo.toFixed(2).padStart(11)} ${String(r.rssMb).padStart(7)} ${memory.padStart(7)}  ${verdict}`,
  );
}
const tight = rows.filter((r) => !r.meetsMemory);
const largest = Math.max(...rows.filter((r) => r.memoryMb !== undefined).map((r) => r.rssMb));
console.log(
  `\nMemory: the largest resident set after loading is ${largest} MB; ${tight.length === 0 ? `every function's memory leaves ≥ ${MEMORY_HEADROOM}× its own (met)` : `MISSED by ${tight.map((r) => r.name).join(', ')} (< ${MEMORY_HEADROOM}× its resident set)`}.`,
);
const missed = rows.filter((r) => !r.meetsSize || !r.meetsTime);
const all = rows.find((r) => r.name === ALL_PROVIDERS);
console.log(
  `\nLeaving the unused credential providers out (infra/lambda.ts): the Hono + DynamoDB bundle is ${all?.kb} KB with them, ${Math.round(hono.bytes / 1024)} KB without, and imports ${all?.ratioToHonoDynamo.toFixed(2)}× as long with them.`,
);
console.log(
  `${missed.length} of ${rows.filter((r) => !r.name.startsWith('baseline')).length} functions miss a budget (≤ ${SIZE_BUDGET / 1024} KB minified, ≤ ${TIME_BUDGET}× the Hono + DynamoDB import).`,
);
console.log(
  `\nFirst use, once per container and not at cold start (median ms): the common-password list ${firstUse.commonPasswords}, the disposable domains ${firstUse.disposableDomains}, the Stripe SDK ${firstUse.stripe}.`,
);

const resultsFile = join(ROOT, 'bench', 'results.json');
let results: Record<string, unknown> = {};
try {
  results = JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>;
} catch {}
results.coldStart = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  runs: RUNS,
  rows,
  firstUseMs: firstUse,
};
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
