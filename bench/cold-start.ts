// Cold start, as far as it can be measured off Lambda: each function built as `cdk deploy` builds it
// (infra/build.ts's buildFunction: esbuild, ESM, minified, split into chunks, AWS SDK inside, with
// the word lists beside it), the bytes its entry loads at start (index.mjs and the chunks it imports
// statically; the lazy chunks, loaded on the first call that needs them, apart), and the median time
// to import it in a fresh Node process, runs interleaved across all bundles so that machine noise
// hits each alike. Figures are ratios to a minimal Hono + DynamoDB client handler built in the same
// run, each import paired with one of that baseline just before it (an empty handler is the other
// baseline), and more pairs for each function the first ones leave too near the budget to tell
// (below). Then what the first use pays for what was left out of
// the import: reading each list, loading each lazy chunk (the mail client, Secrets Manager, ...).
// Results: bench/results.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { routes } from '../functions/routes.ts';
import { deletionSteps } from '../functions/workflows/steps.ts';
import { buildFunction, type FunctionBuild } from '../infra/build.ts';
import { PUBLISHER } from '../infra/events.ts';
import { DEFAULT_MEMORY_MB } from '../infra/lambda.ts';
import { PLATFORM_FUNCTIONS } from '../infra/platform.ts';

const ROOT = resolve(import.meta.dirname, '..');
// 40 (about 20 minutes on a 2-vCPU machine): at 15 a function's median ratio still moved about ±3%
// from run to run, as much as most functions' distance from the budget; those that 40 leave too
// near it to tell get more (below).
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
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

type Built = { dir: string; file: string; build: FunctionBuild; bytes: number; lazyBytes: number };
const sum = (files: readonly { bytes: number }[]) => files.reduce((total, f) => total + f.bytes, 0);

/** The function of `entry` built into a folder of its own, as infra/build.ts builds it for deploy. */
function bundle(
  name: string,
  entry: string,
  options: { external?: readonly string[]; exports?: readonly string[] } = {},
): Built {
  const dir = join(out, name.replace(/[^\w-]+/g, '_'));
  const build = buildFunction(entry, dir, options);
  return { dir, file: join(dir, 'index.mjs'), build, bytes: sum(build.atStart), lazyBytes: sum(build.lazy) };
}

const baselineFiles = Object.entries(baselines).map(([name, code]): [string, string] => {
  const file = join(ROOT, 'bench', `.${name.replace(/[^\w]+/g, '_')}.ts`);
  writeFileSync(file, code);
  return [name, file];
});
type Entry = [name: string, entry: string];
const every: Entry[] = [
  ...routes.map((r): Entry => [r.id, join(ROOT, 'functions', r.entry)]),
  ['cleanup-unconfirmed', join(ROOT, 'functions/jobs/cleanup-unconfirmed.ts')],
  ...deletionSteps.map((s): Entry => [s.id, join(ROOT, 'functions', s.entry)]),
  // In front of every request of the platform's own APIs: its cold start is theirs.
  ...PLATFORM_FUNCTIONS.map((f): Entry => [f.id, join(ROOT, 'functions', f.entry)]),
  [PUBLISHER.id, join(ROOT, 'functions', PUBLISHER.entry)],
];
// BENCH_ONLY=login,console-mfa: those functions alone, beside the baselines, for a closer look at a
// few with many runs (BENCH_RUNS=100). Such a run prints its tables, measures no first use, and
// leaves bench/results.json as it is: the results are of whole runs.
const ONLY = process.env.BENCH_ONLY?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = ONLY?.filter((name) => !every.some(([id]) => id === name)) ?? [];
if (unknown.length > 0) throw new Error(`BENCH_ONLY names no function: ${unknown.join(', ')}`);
const entries: Entry[] = [...baselineFiles, ...every.filter(([id]) => !ONLY || ONLY.includes(id))];

/** The memory each function is deployed with (routes name theirs; the rest get the default). */
const memoryOf = new Map<string, number>(routes.map((r) => [r.id, r.memoryMb ?? DEFAULT_MEMORY_MB]));
/** Deployed memory must leave at least this many times the resident set after loading. */
const MEMORY_HEADROOM = 2;

/** `ratios`: each import's time over the baseline's import just before it (below). */
type Bundle = Built & { times: number[]; ratios: number[]; rss: number[] };
const unmeasured = (built: Built): Bundle => ({ ...built, times: [], ratios: [], rss: [] });
const bundles = new Map<string, Bundle>();
for (const [name, entry] of entries) bundles.set(name, unmeasured(bundle(name, entry)));
// The choice infra/build.ts makes, measured: the same baseline with UNREACHED_SDK_MODULES bundled.
const ALL_PROVIDERS = 'baseline: Hono + DynamoDB, unreached SDK modules bundled';
bundles.set(
  ALL_PROVIDERS,
  unmeasured(bundle('all-providers', baselineFiles[1]?.[1] as string, { external: [] })),
);
// The baseline again, measured as every function is: what it reads over 1.00× is this run's noise.
const SAME_AGAIN = 'baseline: Hono + DynamoDB client, a second copy';
bundles.set(SAME_AGAIN, unmeasured(bundle('same-again', baselineFiles[1]?.[1] as string)));
// The lists' reader alone, to time a first use of each list.
const lists = bundle('lists', 'functions/lib/domain/lists.ts', { exports: ['listSet'] });
for (const [, file] of baselineFiles) execFileSync('rm', ['-f', file]);

// What a cold start pays before the first request: loading and evaluating the module.
const env = {
  ...process.env,
  TABLE_NAME: 't',
  MAIL_FROM: 'a@b.co',
  PUBLIC_BASE_URL: 'https://x.example',
  AWS_REGION: 'eu-west-1',
  // The SDK warns at its first client on a Node older than 22 (a stderr write in every import here);
  // Lambda runs the functions on Node 24, where it never does.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
// And the resident set once loaded: the floor of the memory a function needs.
const probe = `const t=performance.now();await import(process.argv[1]);const ms=performance.now()-t;process.stdout.write(JSON.stringify({ms,rss:process.memoryUsage().rss}));`;
const importOnce = (b: Bundle): number => {
  const { ms, rss } = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', probe, b.file], { env }).toString(),
  ) as { ms: number; rss: number };
  b.times.push(ms);
  b.rss.push(rss);
  return ms;
};
// Each import is paired with one of the Hono + DynamoDB baseline just before it, and its ratio is
// the ratio of the pair: this machine's speed drifts over seconds (a shared VM), which a ratio of
// two medians taken minutes apart would count as the function's own.
const HONO = 'baseline: Hono + DynamoDB client';
const hono = bundles.get(HONO) as Bundle;
for (let run = 0; run < RUNS; run++) {
  for (const [name, b] of bundles) {
    if (name === HONO) continue;
    const base = importOnce(hono);
    b.ratios.push(importOnce(b) / base);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)] as number;
/**
 * How far a median of these ratios may be from the function's own (its standard error), read from
 * their spread as for a normal sample's: 1.2533 σ/√n, with σ the interquartile range over 1.349.
 */
const medianError = (xs: number[]) =>
  (1.2533 * ((quantile(xs, 0.75) - quantile(xs, 0.25)) / 1.349)) / Math.sqrt(xs.length);
// More pairs where RUNS cannot tell: one function's median of 40 pairs moves a few percent from run
// to run, as far as many functions are from the budget. A function whose median is within two
// standard errors of the budget gets STEP more pairs, round after round (interleaved among those
// still within, each with its baseline import just before it), until its median is two standard
// errors from the budget or it has MAX_PAIRS; its verdict is the median of all its pairs. The rule
// is the same on both sides: a function truly over the budget misses as surely as one truly under
// it passes, and one that reaches MAX_PAIRS is judged by its median as any other.
const STEP = 20;
const MAX_PAIRS = Number(process.env.BENCH_MAX_PAIRS ?? 240);
const undecided = (name: string, b: Bundle) =>
  !name.startsWith('baseline') &&
  b.ratios.length < MAX_PAIRS &&
  Math.abs(median(b.ratios) - TIME_BUDGET) < 2 * medianError(b.ratios);
const looked = [...bundles].filter(([name, b]) => undecided(name, b)).map(([name]) => name);
for (let open = looked; open.length > 0; ) {
  for (let run = 0; run < STEP; run++)
    for (const name of open) {
      const b = bundles.get(name) as Bundle;
      const base = importOnce(hono);
      b.ratios.push(importOnce(b) / base);
    }
  open = open.filter((name) => undecided(name, bundles.get(name) as Bundle));
}
hono.ratios.push(1);

/** The paths of what a bundle loads at start, as its metafile's outputs resolve from the root. */
const startPaths = (b: Built) => new Set(b.build.atStart.map((f) => join(b.dir, f.name)));

// What the first use pays, once per container, for what the import no longer does: each list read
// by the bundled reader beside its data files; each lazy chunk (with the chunks it imports that the
// entry has not loaded), imported from its function's folder once the entry is loaded, as the
// function's own import() does on its first call. Each lazy part is found by the module that a
// dynamic import() names (the chunk esbuild made for it), in the first function that has it.
const lazyParts: Record<string, RegExp> = {
  'the mail client (SES)': /^functions\/lib\/email\/send\.sdk\.ts$/,
  'the mail templates': /^functions\/lib\/email\/compose\.ts$/,
  "the second factor's check": /^functions\/lib\/services\/second-factor-check\.ts$/,
  "MFA's changes (new recovery codes, MFA off)": /^functions\/lib\/services\/mfa-changes\.ts$/,
  'Secrets Manager': /^functions\/lib\/adapters\/secrets-manager\.sdk\.ts$/,
  'the Step Functions client': /^functions\/lib\/adapters\/step-functions\.sdk\.ts$/,
  'jose (Google ID tokens)': /^functions\/lib\/adapters\/google-oidc\.sdk\.ts$/,
  'the Stripe SDK': /^node_modules\/stripe\//,
  'the pure-JS argon2 (only without node:crypto argon2)': /^node_modules\/@noble\/hashes\/argon2\.js$/,
};
type FirstUse = { what: string; function?: string; kb?: number; probe: string; cwd: string };
const firstUses: FirstUse[] = ONLY
  ? []
  : [
      ...(['commonPasswords', 'disposableDomains'] as const).map(
        (name): FirstUse => ({
          what: name === 'commonPasswords' ? 'the common-password list' : 'the disposable-domain list',
          probe: `const {listSet}=await import('./index.mjs');const t=performance.now();listSet('${name}');process.stdout.write(String(performance.now()-t));`,
          cwd: lists.dir,
        }),
      ),
      ...Object.entries(lazyParts).map(([what, module]): FirstUse => {
        for (const [name, b] of bundles) {
          const chunk = Object.entries(b.build.metafile.outputs).find(
            ([, o]) => o.entryPoint !== undefined && module.test(o.entryPoint),
          );
          if (!chunk) continue;
          // The chunk and what it imports statically that the entry does not: what its first use loads.
          const atStart = startPaths(b);
          const loads = new Set<string>();
          const visit = (output: string) => {
            const path = resolve(ROOT, output);
            if (loads.has(output) || atStart.has(path)) return;
            loads.add(output);
            for (const i of b.build.metafile.outputs[output]?.imports ?? [])
              if (i.kind === 'import-statement' && !i.external) visit(i.path);
          };
          visit(chunk[0]);
          const bytes = [...loads].reduce((total, o) => total + (b.build.metafile.outputs[o]?.bytes ?? 0), 0);
          const file = `./${relative(b.dir, resolve(ROOT, chunk[0]))}`;
          return {
            what,
            function: name,
            kb: Math.round(bytes / 1024),
            probe: `await import('./index.mjs');const t=performance.now();await import('${file}');process.stdout.write(String(performance.now()-t));`,
            cwd: b.dir,
          };
        }
        throw new Error(`no function loads ${what} lazily: is its import() gone?`);
      }),
    ];
const firstUse = firstUses.map((use) => {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++)
    times.push(
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', use.probe], {
          env,
          cwd: use.cwd,
        }).toString(),
      ),
    );
  return { what: use.what, function: use.function, kb: use.kb, ms: Number(median(times).toFixed(1)) };
});
const rows = [...bundles.entries()].map(([name, b]) => {
  const ms = median(b.times);
  const ratio = median(b.ratios);
  const isBaseline = name.startsWith('baseline');
  const rssMb = Math.round(Math.max(...b.rss) / 2 ** 20);
  const memoryMb = isBaseline ? undefined : (memoryOf.get(name) ?? DEFAULT_MEMORY_MB);
  return {
    name,
    kb: Math.round(b.bytes / 1024),
    files: b.build.atStart.length,
    lazyKb: Math.round(b.lazyBytes / 1024),
    importMs: Number(ms.toFixed(1)),
    pairs: b.ratios.length,
    ratioToHonoDynamo: Number(ratio.toFixed(2)),
    ratioError: name === HONO ? 0 : Number(medianError(b.ratios).toFixed(3)),
    meetsSize: isBaseline || b.bytes <= SIZE_BUDGET,
    meetsTime: isBaseline || ratio <= TIME_BUDGET,
    rssMb,
    memoryMb,
    meetsMemory: memoryMb === undefined || memoryMb >= MEMORY_HEADROOM * rssMb,
  };
});

// One function's median moves by a few percent from run to run (the noise line below), but every
// function's import costs about the same per KB at start: a least-squares line through all of them
// (those that load the DynamoDB client, as the baseline does) reads how far a function of a given
// size is from the baseline far more closely than its own pairs can. Each function's verdict
// stays its own median; the line says which misses are its size and which are this run's noise.
const withClient = [...bundles.entries()].filter(([name, b]) => {
  if (name.startsWith('baseline')) return false;
  const atStart = startPaths(b);
  return Object.entries(b.build.metafile.outputs).some(
    ([output, o]) =>
      atStart.has(resolve(ROOT, output)) &&
      Object.keys(o.inputs).some((input) => input.includes('@aws-sdk/client-dynamodb/')),
  );
});
const points = withClient.map(([name, b]) => ({ name, kb: b.bytes / 1024, ratio: median(b.ratios) }));
const mean = (xs: number[]) => xs.reduce((total, x) => total + x, 0) / xs.length;
const meanKb = mean(points.map((p) => p.kb));
const meanRatio = mean(points.map((p) => p.ratio));
const slope =
  points.reduce((total, p) => total + (p.kb - meanKb) * (p.ratio - meanRatio), 0) /
  points.reduce((total, p) => total + (p.kb - meanKb) ** 2, 0);
const bySize = (kb: number) => meanRatio + slope * (kb - meanKb);
const residualSd = Math.sqrt(
  points.reduce((total, p) => total + (p.ratio - bySize(p.kb)) ** 2, 0) / (points.length - 2),
);
// What the pairs' own spread alone would scatter the medians by: when the residuals are about
// that, the line leaves nothing of a function's but its size.
const noiseSd = Math.sqrt(mean(withClient.map(([, b]) => medianError(b.ratios) ** 2)));
const budgetKb = meanKb + (TIME_BUDGET - meanRatio) / slope;
// A line needs a spread of sizes: BENCH_ONLY with one or two functions gets none.
const sizeFit =
  points.length < 3
    ? undefined
    : {
        functions: points.length,
        ratioPerTenKb: Number((slope * 10).toFixed(4)),
        atBaselineKb: Number(bySize(hono.bytes / 1024).toFixed(3)),
        residualSd: Number(residualSd.toFixed(3)),
        noiseSd: Number(noiseSd.toFixed(3)),
        budgetKb: Math.round(budgetKb),
        overBySize: points.filter((p) => bySize(p.kb) > TIME_BUDGET).map((p) => p.name),
      };

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(
  `Cold start: ${RUNS} interleaved imports per bundle, each paired with a baseline import just before it (× Hono+DDB: the median of the pairs' ratios), Node ${process.version}, load average ${load} (at the end)`,
);
console.log(
  `${'function'.padEnd(36)} ${'KB'.padStart(6)} ${'files'.padStart(5)} ${'lazy KB'.padStart(8)} ${'import ms'.padStart(10)} ${'pairs'.padStart(5)} ${'× Hono+DDB'.padStart(11)} ${'±'.padStart(6)} ${'RSS MB'.padStart(7)} ${'memory'.padStart(7)}  budget`,
);
for (const r of rows) {
  const verdict = r.name.startsWith('baseline')
    ? ''
    : r.meetsSize && r.meetsTime
      ? 'met'
      : `MISSED (${[!r.meetsSize && `> ${SIZE_BUDGET / 1024} KB`, !r.meetsTime && `> ${TIME_BUDGET}×`].filter(Boolean).join(', ')})`;
  const memory = r.memoryMb === undefined ? '' : `${r.memoryMb}${r.meetsMemory ? '' : '!'}`;
  console.log(
    `${r.name.padEnd(36)} ${String(r.kb).padStart(6)} ${String(r.files).padStart(5)} ${String(r.lazyKb).padStart(8)} ${r.importMs.toFixed(1).padStart(10)} ${String(r.pairs).padStart(5)} ${r.ratioToHonoDynamo.toFixed(2).padStart(11)} ${r.ratioError.toFixed(3).padStart(6)} ${String(r.rssMb).padStart(7)} ${memory.padStart(7)}  ${verdict}`,
  );
}
console.log(
  "(KB, files: index.mjs and the chunks it imports statically, loaded at every cold start; lazy KB: the chunks only an import() reaches; ±: the median's standard error, from its pairs' spread.)",
);
console.log(
  `More pairs: ${looked.length} functions within two standard errors of the budget after ${RUNS} pairs got ${STEP} more a round until two standard errors from it or ${MAX_PAIRS} pairs (${rows.filter((r) => r.pairs >= MAX_PAIRS).length} reached ${MAX_PAIRS}; pairs: what each verdict is the median of).`,
);
const tight = rows.filter((r) => !r.meetsMemory);
const largest = Math.max(...rows.filter((r) => r.memoryMb !== undefined).map((r) => r.rssMb));
console.log(
  `\nMemory: the largest resident set after loading is ${largest} MB; ${tight.length === 0 ? `every function's memory leaves ≥ ${MEMORY_HEADROOM}× its own (met)` : `MISSED by ${tight.map((r) => r.name).join(', ')} (< ${MEMORY_HEADROOM}× its resident set)`}.`,
);
const missed = rows.filter((r) => !r.meetsSize || !r.meetsTime);
const largestFit = Math.max(...points.map((p) => p.kb));
console.log(
  sizeFit === undefined
    ? `\nBy size: no line, too few of the functions measured (${points.length}) load the DynamoDB client.`
    : `\nBy size (a least-squares line through the ${sizeFit.functions} functions that load the DynamoDB client): +${(sizeFit.ratioPerTenKb * 100).toFixed(1)}% per 10 KB at start, ${sizeFit.atBaselineKb.toFixed(2)}× at the baseline's ${Math.round(hono.bytes / 1024)} KB, ${bySize(largestFit).toFixed(2)}× at the largest (${Math.round(largestFit)} KB); functions read ${sizeFit.residualSd.toFixed(3)} off the line (standard deviation; their pairs' spread alone would scatter them by ${sizeFit.noiseSd.toFixed(3)}). The line reaches ${TIME_BUDGET.toFixed(2)}× at ${sizeFit.budgetKb} KB: ${sizeFit.overBySize.length === 0 ? 'no function is over it' : `${sizeFit.overBySize.length} over it (${sizeFit.overBySize.join(', ')})`}; ${missed.filter((r) => r.meetsSize && !sizeFit.overBySize.includes(r.name)).length} of this run's misses are under it.`,
);
const all = rows.find((r) => r.name === ALL_PROVIDERS);
console.log(
  `\nLeaving the SDK's unreached modules out (infra/build.ts): the Hono + DynamoDB bundle loads ${all?.kb} KB at start in ${all?.files} files with them (${all?.lazyKb} KB lazy), ${Math.round(hono.bytes / 1024)} KB in ${hono.build.atStart.length} without (${Math.round(hono.lazyBytes / 1024)} KB lazy), and imports ${all?.ratioToHonoDynamo.toFixed(2)}× as long with them.`,
);
const again = rows.find((r) => r.name === SAME_AGAIN);
const pairs = bundles.get(SAME_AGAIN)?.ratios ?? [];
console.log(
  `Noise: the baseline measured again as a function reads ${again?.ratioToHonoDynamo.toFixed(2)}× itself (half its pairs between ${quantile(pairs, 0.25).toFixed(2)}× and ${quantile(pairs, 0.75).toFixed(2)}×): a function within that of the budget is not told apart from it by this run.`,
);
console.log(
  `${missed.length} of ${rows.filter((r) => !r.name.startsWith('baseline')).length} functions miss a budget (≤ ${SIZE_BUDGET / 1024} KB loaded at start, minified; ≤ ${TIME_BUDGET}× the Hono + DynamoDB import).`,
);
console.log('\nFirst use, once per container and not at cold start (median ms; KB it loads; measured in):');
for (const use of firstUse)
  console.log(
    `  ${use.what.padEnd(54)} ${use.ms.toFixed(1).padStart(6)} ms${use.kb === undefined ? '' : `  ${String(use.kb).padStart(4)} KB  ${use.function}`}`,
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
  morePairs: { step: STEP, maxPairs: MAX_PAIRS, functions: looked },
  loadAverage: load,
  rows,
  sizeFit,
  firstUse,
};
if (ONLY) console.log(`\nBENCH_ONLY: bench/results.json left as it is (its cold start is of a whole run).`);
else writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
