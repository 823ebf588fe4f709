// How every function is built, for `cdk deploy` (infra/lambda.ts), the benchmarks and the tests.
// CDK's bundling asks for each build synchronously; esbuild's plugins need its asynchronous API, so
// the builds run in a worker thread of this module's own while the caller waits.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  isMainThread,
  MessageChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import { build, type Metafile, type Plugin } from 'esbuild';
import { LIST_FILES } from '../functions/lib/domain/lists.ts';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * What the AWS SDK imports only on paths a Lambda never takes, left out of every build: the
 * credential providers other than the environment's (a Lambda has its role's credentials there;
 * IMDS and container credentials are EC2's and ECS's), the browser's user-agent parser, and event
 * streams (no operation Gatehouse calls has one). Bundled, each is a lazy chunk that costs no
 * parse, but the code it reaches through modules the handler shares lands at start (18 KB more in
 * the Hono + DynamoDB baseline; bench/cold-start.ts measures the difference). Were one ever reached,
 * the bundle has no copy: that request fails with a missing module (an ESM import from /var/task
 * is not known to find the runtime's own SDK; not verified on Lambda).
 */
export const UNREACHED_SDK_MODULES: readonly string[] = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  '@aws-sdk/token-providers',
  '@aws-sdk/nested-clients',
  'bowser',
  '@smithy/core/event-streams',
];

/** Where the domain's word lists live in the tree (domain/lists.ts reads them beside itself). */
const LISTS_DIR = join(ROOT, 'functions/lib/domain');

/** One file esbuild wrote, named relative to the function's folder. */
export interface BuiltFile {
  readonly name: string;
  readonly bytes: number;
}

/** What `buildFunction` made. */
export interface FunctionBuild {
  readonly metafile: Metafile;
  /** `index.mjs` and every chunk it imports statically, transitively: what a cold start loads. */
  readonly atStart: readonly BuiltFile[];
  /** The chunks reached only through a dynamic import(): each loaded on the first call that needs it. */
  readonly lazy: readonly BuiltFile[];
}

/** Heads each output that mentions `require` (below). */
const REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n";

/** What `buildFunction` is told: what to leave out (default UNREACHED_SDK_MODULES), what to export. */
export interface BuildOptions {
  readonly external?: readonly string[];
  readonly exports?: readonly string[];
}

/** One build asked of the worker; `done` turns 1 once its answer is on the port. */
interface BuildRequest {
  readonly done: Int32Array;
  readonly entry: string;
  readonly outdir: string;
  readonly options: BuildOptions;
}

/**
 * The DynamoDB client's view of `@aws-sdk/core/protocols`: the JSON protocols only. That module
 * re-exports every protocol, and esbuild puts code in the chunks of every entry that reaches its
 * file, used or not: through it the entry reached the query and XML protocols, so where the SES
 * client is a lazy chunk they went into the chunk loaded at start with the SDK's core (12 KB, about
 * 0.7 ms of every cold start with a mail or a secret; bench/cold-start.ts). Other importers (the
 * lazy clients) get the real module. A name the client starts to import that is not here fails
 * the build, loudly.
 */
const DYNAMODB_PROTOCOLS: Plugin = {
  name: 'dynamodb-protocols',
  setup(b) {
    const NARROWED = Symbol.for('gatehouse.dynamodb-protocols');
    b.onResolve({ filter: /^@aws-sdk\/core\/protocols$/ }, async (args) => {
      if (args.pluginData === NARROWED) return undefined;
      if (!/[\\/]@aws-sdk[\\/](client-dynamodb|dynamodb-codec)[\\/]/.test(args.importer)) return undefined;
      // The module the client would get, so that the narrowed one re-exports from the same copy.
      const real = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: NARROWED,
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'dynamodb-protocols' };
    });
    b.onLoad({ filter: /.*/, namespace: 'dynamodb-protocols' }, (args) => ({
      contents:
        "export * from '@smithy/core/protocols';\n" +
        "export { AwsJson1_0Protocol } from './json/AwsJson1_0Protocol.js';\n",
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * Files of the SDK's core that only the lazy clients' protocols use (the query and XML ones of SES
 * and Secrets Manager's JSON errors), re-exported by a barrel that the DynamoDB client imports too.
 * esbuild puts a file in the chunk of every entry whose imports reach it, used or not, so through
 * these barrels they were loaded at every cold start (4 KB). An importer whose import from the
 * barrel names nothing these files export gets the barrel without them; one that names one (the
 * lazy protocols), or re-exports the whole barrel, gets the barrel as it is. So no import is ever
 * missing a name, and a file wrongly listed here only costs its bytes at start again.
 */
const LAZY_ONLY: Readonly<Record<string, readonly string[]>> = {
  '@smithy/core/serde': ['./schema-serde-lib/schema-date-utils', './split-header'],
  '@smithy/core/protocols': ['./serde/FromStringShapeDeserializer', './extended-encode-uri-component'],
};

const SLIM_BARRELS: Plugin = {
  name: 'slim-barrels',
  setup(b) {
    const WHOLE = Symbol.for('gatehouse.slim-barrels');
    const filter = new RegExp(`^(${Object.keys(LAZY_ONLY).join('|')})$`);
    b.onResolve({ filter }, async (args) => {
      if (args.pluginData === WHOLE || args.kind !== 'import-statement') return undefined;
      const real = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: WHOLE,
      });
      if (real.errors.length > 0) return { errors: real.errors };
      const names = lazyNames(readFileSync(real.path, 'utf8'), LAZY_ONLY[args.path] ?? []);
      const imports = [
        ...readFileSync(args.importer, 'utf8').matchAll(
          /(?:import|export)\s*(\*(?:\s*as\s+[\w$]+)?|\{[^}]*\})\s*from\s*["']([^"']+)["']/g,
        ),
      ].filter((m) => m[2] === args.path);
      // A namespace, a whole re-export, or an import not read here: the barrel as it is.
      const wantsLazy =
        imports.length === 0 ||
        imports.some(
          (m) => (m[1] ?? '').startsWith('*') || (m[1] ?? '').split(/[{},\s]+/).some((n) => names.has(n)),
        );
      return wantsLazy ? undefined : { path: real.path, namespace: 'slim-barrels', pluginData: args.path };
    });
    b.onLoad({ filter: /.*/, namespace: 'slim-barrels' }, (args) => {
      const lazy = new Set(LAZY_ONLY[args.pluginData as string] ?? []);
      const text = readFileSync(args.path, 'utf8');
      const kept = text.split('\n').filter((line) => !lazy.has(/from\s*"([^"]+)"/.exec(line)?.[1] ?? ''));
      if (kept.length !== text.split('\n').length - lazy.size)
        throw new Error(
          `${args.pluginData} no longer re-exports each of ${[...lazy].join(', ')} on a line of its own`,
        );
      return { contents: kept.join('\n'), resolveDir: dirname(args.path), loader: 'js' };
    });
  },
};

/** What the barrel's lines that re-export from `files` export. */
function lazyNames(barrel: string, files: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const [, list = '', from = ''] of barrel.matchAll(/export\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g))
    if (files.includes(from))
      for (const binding of list.split(',').map((n) => n.trim()))
        if (binding) names.add(binding.split(/\s+as\s+/).at(-1) ?? binding);
  return names;
}

/**
 * mnemonist's LRU cache, the one CommonJS module the DynamoDB client loads at start, swapped for an
 * ES module of ours that does the same (functions/lib/shared/lru-cache.ts says why).
 */
const ESM_LRU_CACHE: Plugin = {
  name: 'esm-lru-cache',
  setup(b) {
    b.onResolve({ filter: /^mnemonist\/lru-cache$/ }, () => ({
      path: join(ROOT, 'functions/lib/shared/lru-cache.ts'),
    }));
  },
};

/**
 * Builds a function as Lambda runs it from /var/task: `index.mjs` (the handler), the chunks it
 * imports beside it, and the domain's word lists beside them (domain/lists.ts reads them beside
 * itself). Code splitting, so that what a module loads with a dynamic import() (the SES and Step
 * Functions clients, Secrets Manager, jose, the Stripe SDK, the pure-JS argon2) is a chunk of its
 * own, read on the first call that needs it rather than parsed at every cold start: in a single-file
 * bundle esbuild inlines an import() and the bytes stay. NodejsFunction cannot split (it always
 * passes --outfile), hence esbuild's own API. `gatehouseFunction` builds with it at synth and
 * bench/cold-start.ts measures what it builds. Synchronous, as CDK's bundling calls it: the build
 * runs in a worker thread (below), where esbuild's asynchronous API takes the plugin above.
 *
 * The entry re-exports only `handler` (or `exports`), so that what else an endpoint exports for
 * the local server and the OpenAPI document (`app`, `doc`) is left out.
 */
export function buildFunction(entry: string, outdir: string, options: BuildOptions = {}): FunctionBuild {
  builder ??= startBuilder();
  const done = new Int32Array(new SharedArrayBuffer(4));
  builder.worker.postMessage({ done, entry, outdir, options });
  // Bounded: a worker that died (it failed to load, say) would never set `done`.
  if (Atomics.wait(done, 0, 0, BUILD_TIMEOUT_MS) === 'timed-out')
    throw new Error(`the build worker did not answer in ${BUILD_TIMEOUT_MS / 1000} s for ${entry}`);
  const answer = receiveMessageOnPort(builder.answers)?.message as
    | { built: FunctionBuild }
    | { failed: string }
    | undefined;
  if (!answer) throw new Error(`the build worker gave no answer for ${entry}`);
  if ('failed' in answer) throw new Error(answer.failed);
  return answer.built;
}

/**
 * One worker thread for every build of the process, so Node and esbuild's service start once: a
 * child process a build made `cdk synth` 54 s instead of 31. The caller waits on `done`, then reads
 * the answer off its own port.
 */
let builder: { worker: Worker; answers: MessagePort } | undefined;
const BUILD_TIMEOUT_MS = 120_000;
function startBuilder(): { worker: Worker; answers: MessagePort } {
  const { port1: answers, port2 } = new MessageChannel();
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { answers: port2 },
    transferList: [port2],
  });
  worker.unref(); // a process that has built what it needs may end
  return { worker, answers };
}

/** `buildFunction`'s work, with esbuild's asynchronous API (the only one that takes plugins). */
export async function buildFunctionAsync(
  entry: string,
  outdir: string,
  options: BuildOptions = {},
): Promise<FunctionBuild> {
  const { metafile, outputFiles } = await build({
    stdin: {
      contents: `export { ${(options.exports ?? ['handler']).join(', ')} } from ${JSON.stringify(resolve(ROOT, entry))};`,
      resolveDir: ROOT,
      sourcefile: 'index.ts',
      loader: 'ts',
    },
    entryNames: 'index',
    outdir,
    write: false,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    metafile: true,
    // Without a package.json saying "type": "module" beside them, Node reads only .mjs as ESM.
    outExtension: { '.js': '.mjs' },
    mainFields: ['module', 'main'],
    absWorkingDir: ROOT,
    external: [...(options.external ?? UNREACHED_SDK_MODULES)],
    plugins: [DYNAMODB_PROTOCOLS, SLIM_BARRELS, ESM_LRU_CACHE],
    logLevel: 'warning',
  });
  // esbuild imports the chunk of its runtime helpers from every chunk that shares them, whether
  // it uses one or not (evanw/esbuild#1892): a bare `import"./chunk-….mjs"` that does nothing, as
  // such a chunk only defines functions, but is one more file at a cold start. Those imports go.
  const helpersOnly = new Set(
    Object.entries(metafile.outputs)
      .filter(([, o]) => Object.keys(o.inputs).length === 0)
      .map(([output]) => resolve(ROOT, output)),
  );
  const dropped = new Set<string>();
  const texts = new Map<string, string>();
  for (const file of outputFiles)
    texts.set(
      file.path,
      file.text.replace(/import"\.\/(chunk-[\w-]+\.mjs)";/g, (statement, chunk: string) => {
        const path = join(dirname(file.path), chunk);
        if (!helpersOnly.has(path)) return statement;
        dropped.add(`${file.path}\u0000${path}`);
        return '';
      }),
    );
  const dir = resolve(ROOT, outdir);
  const index = Object.keys(metafile.outputs).find((o) => resolve(ROOT, o) === join(dir, 'index.mjs'));
  if (!index) throw new Error(`esbuild made no index.mjs for ${entry}`);
  const split = startOf(metafile.outputs, index, dropped);
  const outputs =
    split.size > 1 ? await foldStart(dir, index, split, texts, metafile.outputs) : metafile.outputs;
  // ESM has no `require`, which a bundled CommonJS module may call (esbuild's __require helper) or
  // test for: the outputs that mention it get one. Only those: it was a banner on every chunk, and
  // each createRequire() at load costs a cold start about 0.3 ms, several chunks a function.
  const bytes = new Map<string, number>();
  mkdirSync(outdir, { recursive: true });
  for (const [path, unbannered] of texts) {
    const text = /\brequire\b/.test(unbannered) ? REQUIRE_BANNER + unbannered : unbannered;
    writeFileSync(path, text);
    bytes.set(path, Buffer.byteLength(text));
  }
  for (const [output, o] of Object.entries(outputs)) o.bytes = bytes.get(resolve(ROOT, output)) ?? o.bytes;
  for (const file of Object.values(LIST_FILES)) copyFileSync(join(LISTS_DIR, file), join(outdir, file));
  const fileOf = (output: string): BuiltFile => ({
    name: relative(dir, resolve(ROOT, output)),
    bytes: bytes.get(resolve(ROOT, output)) ?? 0,
  });
  const atStart = startOf(outputs, index, dropped);
  return {
    metafile: { ...metafile, outputs },
    atStart: [...atStart].map(fileOf),
    lazy: Object.keys(outputs)
      .filter((o) => !atStart.has(o))
      .map(fileOf),
  };
}

type Outputs = Metafile['outputs'];

/** `index` and every output it imports statically, transitively (but for the imports dropped). */
function startOf(outputs: Outputs, index: string, dropped: ReadonlySet<string>): Set<string> {
  const atStart = new Set<string>();
  const visit = (output: string) => {
    if (atStart.has(output)) return;
    atStart.add(output);
    for (const i of outputs[output]?.imports ?? [])
      if (
        i.kind === 'import-statement' &&
        !i.external &&
        !dropped.has(`${resolve(ROOT, output)}\u0000${resolve(ROOT, i.path)}`)
      )
        visit(i.path);
  };
  visit(index);
  return atStart;
}

/** One named import of a chunk's, as esbuild writes it between a lazy chunk's braces: `a as b` or `a`. */
const IMPORT_FROM_CHUNK = /import\{([^}]*)\}from"\.\/([\w.-]+\.mjs)"/g;

/**
 * Every chunk a cold start loads, folded into `index.mjs`: each file more at start costs it about
 * 0.26 ms (bench/cold-start.ts), and esbuild cuts one for every set of entries (the handler, each
 * import()) that shares modules, so that a lazy part sharing one module with the handler put a
 * file more at start. Folded, the start is one file however much is lazy: a second esbuild pass
 * bundles the entry and the chunks it loads into one, which also exports, under names of their
 * own (`name$n`, n the chunk's number), what the lazy chunks import from them; those import it
 * from `index.mjs` (a cycle ESM resolves: the entry has run before any import() loads a chunk).
 * `texts` is rewritten in place; the outputs returned describe the files that remain.
 */
async function foldStart(
  dir: string,
  index: string,
  atStart: ReadonlySet<string>,
  texts: Map<string, string>,
  outputs: Outputs,
): Promise<Outputs> {
  const fileOf = (output: string) => relative(dir, resolve(ROOT, output));
  const folded = [...atStart].filter((o) => o !== index).map(fileOf);
  const number = new Map(folded.map((file, n) => [file, n]));
  const alias = (file: string, name: string) => `${name}$${number.get(file)}`;
  const wanted = new Map<string, Set<string>>(folded.map((file) => [file, new Set()]));
  for (const [path, text] of texts) {
    const file = relative(dir, path);
    if (file === 'index.mjs' || number.has(file)) continue;
    const rewritten = text
      .replace(IMPORT_FROM_CHUNK, (statement, names: string, chunk: string) => {
        const want = wanted.get(chunk);
        if (!want) return statement;
        const bindings = names.split(',').map((binding) => {
          const [name = '', local = name] = binding.split(' as ');
          want.add(name);
          return `${alias(chunk, name)} as ${local}`;
        });
        return `import{${bindings.join(',')}}from"./index.mjs"`;
      })
      .replace(/import"\.\/([\w.-]+\.mjs)";?/g, (statement, chunk: string) =>
        number.has(chunk) ? '' : statement,
      );
    const left = folded.find((chunk) => rewritten.includes(`"./${chunk}"`));
    if (left) throw new Error(`${file} refers to ${left} in a way the fold into index.mjs does not rewrite`);
    texts.set(path, rewritten);
  }
  const FIRST_PASS = 'first-pass';
  const result = await build({
    stdin: {
      contents: [
        "export * from './index.mjs';",
        ...[...wanted]
          .filter(([, names]) => names.size > 0)
          .map(
            ([file, names]) =>
              `export { ${[...names].map((n) => `${n} as ${alias(file, n)}`).join(', ')} } from './${file}';`,
          ),
      ].join('\n'),
      resolveDir: dir,
      loader: 'js',
    },
    outfile: join(dir, 'index.mjs'),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    metafile: true,
    plugins: [
      {
        name: 'fold-start',
        setup(b) {
          // The entry and its chunks come from the first pass; the lazy chunks and what the first
          // pass left external (Node's modules, the SDK's unreached ones) stay as they are.
          b.onResolve({ filter: /.*/ }, (args) => {
            const file = args.path.replace(/^\.\//, '');
            return file === 'index.mjs' || number.has(file)
              ? { path: join(dir, file), namespace: FIRST_PASS }
              : { path: args.path, external: true };
          });
          b.onLoad({ filter: /.*/, namespace: FIRST_PASS }, (args) => ({
            contents: texts.get(args.path),
            loader: 'js',
          }));
        },
      },
    ],
    logLevel: 'warning',
  });
  const [merged] = result.outputFiles;
  if (!merged) throw new Error('the fold into index.mjs wrote nothing');
  for (const file of folded) texts.delete(join(dir, file));
  texts.set(join(dir, 'index.mjs'), merged.text);
  const kept: Outputs = {};
  const start = [...atStart].map((o) => outputs[o]).filter((o) => o !== undefined);
  const imports = (list: Outputs[string]['imports']) => {
    const seen = new Map<string, Outputs[string]['imports'][number]>();
    for (const i of list) {
      const path = !i.external && atStart.has(i.path) ? index : i.path;
      if (path !== index || i.kind === 'import-statement') seen.set(`${i.kind}\u0000${path}`, { ...i, path });
    }
    return [...seen.values()];
  };
  for (const [output, o] of Object.entries(outputs)) {
    if (atStart.has(output)) continue;
    kept[output] = { ...o, imports: imports(o.imports) };
  }
  kept[index] = {
    ...(outputs[index] as Outputs[string]),
    inputs: Object.assign({}, ...start.map((o) => o.inputs)),
    imports: imports(start.flatMap((o) => o.imports)).filter((i) => i.path !== index),
    exports: Object.values(result.metafile.outputs)[0]?.exports ?? [],
  };
  return kept;
}

// The worker `buildFunction` starts: each message one build, answered on the port it was given.
if (!isMainThread && parentPort) {
  const { answers } = workerData as { answers: MessagePort };
  parentPort.on('message', ({ done, entry, outdir, options }: BuildRequest) => {
    buildFunctionAsync(entry, outdir, options)
      .then(
        (built) => answers.postMessage({ built }),
        (err: unknown) =>
          answers.postMessage({ failed: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      )
      .finally(() => {
        Atomics.store(done, 0, 1);
        Atomics.notify(done, 0);
      });
  });
}
