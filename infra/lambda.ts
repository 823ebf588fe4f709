import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { AssetHashType, DockerImage, Duration, type ILocalBundling, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, LogGroupClass, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { buildSync, type Metafile } from 'esbuild';
import { LIST_FILES } from '../functions/lib/domain/lists.ts';
import { mailAddress } from './settings.ts';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * What the AWS SDK imports only on paths a Lambda never takes, left out of every build: the
 * credential providers other than the environment's (a Lambda has its role's credentials there;
 * IMDS and container credentials are EC2's and ECS's), the browser's user-agent parser, and event
 * streams (no operation Gatehouse calls has one). Bundled, each is a lazy chunk that costs no
 * parse, but the code it shares with the handler is cut into chunks of its own, each one more
 * module a cold start loads (bench/cold-start.ts measures the difference). Were one ever reached,
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

/**
 * Builds a function as Lambda runs it from /var/task: `index.mjs` (the handler), the chunks it
 * imports beside it, and the domain's word lists beside them (domain/lists.ts reads them beside
 * itself). Code splitting, so that what a module loads with a dynamic import() (the SES and Step
 * Functions clients, Secrets Manager, jose, the Stripe SDK, the pure-JS argon2) is a chunk of its
 * own, read on the first call that needs it rather than parsed at every cold start: in a single-file
 * bundle esbuild inlines an import() and the bytes stay. NodejsFunction cannot split (it always
 * passes --outfile), hence esbuild's own API. `gatehouseFunction` builds with it at synth and
 * bench/cold-start.ts measures what it builds.
 *
 * The entry re-exports only `handler` (or `exports`), so that what else an endpoint exports for
 * the local server and the OpenAPI document (`app`, `doc`) is left out.
 */
export function buildFunction(
  entry: string,
  outdir: string,
  options: { readonly external?: readonly string[]; readonly exports?: readonly string[] } = {},
): FunctionBuild {
  const { metafile, outputFiles } = buildSync({
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
    logLevel: 'warning',
  });
  // ESM has no `require`, which a bundled CommonJS module may call (esbuild's __require helper) or
  // test for: the outputs that mention it get one. Only those: it was a banner on every chunk, and
  // each createRequire() at load costs a cold start about 0.3 ms, several chunks a function.
  const bytes = new Map<string, number>();
  mkdirSync(outdir, { recursive: true });
  for (const file of outputFiles) {
    const text = /\brequire\b/.test(file.text) ? REQUIRE_BANNER + file.text : file.text;
    writeFileSync(file.path, text);
    bytes.set(file.path, Buffer.byteLength(text));
  }
  for (const file of Object.values(LIST_FILES)) copyFileSync(join(LISTS_DIR, file), join(outdir, file));
  const outputs = metafile.outputs;
  const fileOf = (output: string): BuiltFile => ({
    name: relative(outdir, resolve(ROOT, output)),
    bytes: bytes.get(resolve(ROOT, output)) ?? 0,
  });
  const index = Object.keys(outputs).find((o) => fileOf(o).name === 'index.mjs');
  if (!index) throw new Error(`esbuild made no index.mjs for ${entry}`);
  const atStart = new Set<string>();
  const visit = (output: string) => {
    if (atStart.has(output)) return;
    atStart.add(output);
    for (const i of outputs[output]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(index);
  return {
    metafile,
    atStart: [...atStart].map(fileOf),
    lazy: Object.keys(outputs)
      .filter((o) => !atStart.has(o))
      .map(fileOf),
  };
}

/**
 * The local build as CDK's bundling runs it (`tryBundle` into the asset's folder); `entry`, a
 * property, is part of the options CDK compares to tell one asset from another within a synth.
 */
class LocalBuild implements ILocalBundling {
  constructor(readonly entry: string) {}
  tryBundle(outputDir: string): boolean {
    buildFunction(join(ROOT, this.entry), outputDir);
    return true;
  }
}

export interface GatehouseFunctionProps {
  /** File under functions/ exporting `handler`. */
  readonly entry: string;
  readonly environment: Record<string, string>;
  /** @default 512 */
  readonly memoryMb?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** Keep the log group when the stack goes. @default true */
  readonly retainLogs?: boolean;
  /** Concurrency reserved for, and capping, the function. @default none */
  readonly reservedConcurrency?: number;
}

/**
 * Memory of every function not named otherwise. The largest resident set after loading measured
 * 73 MB (bench/cold-start.ts measures each and checks its memory leaves twice that); the rest buys
 * CPU: Lambda gives CPU in proportion to memory, and a cold start's import is CPU-bound.
 */
export const DEFAULT_MEMORY_MB = 512;

/**
 * Every Gatehouse Lambda: arm64 on nodejs24.x, built by `buildFunction` with the local esbuild (no
 * Docker), logging to its own group kept a month.
 */
export function gatehouseFunction(
  scope: Construct,
  id: string,
  props: GatehouseFunctionProps,
): LambdaFunction {
  const logGroup = new LogGroup(scope, `${id}-logs`, {
    // Infrequent Access: half the ingestion price, for logs read by Logs Insights queries when
    // something is investigated; no metric filters, subscriptions or Live Tail, which Gatehouse
    // does not use (its alarms read metrics). docs/cost.md, docs/operations.md.
    logGroupClass: LogGroupClass.INFREQUENT_ACCESS,
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: (props.retainLogs ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  // Its own role, writing to its own log group only (the managed AWSLambdaBasicExecutionRole would
  // let it write to every log group of the account).
  const role = new Role(scope, `${id}-role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(
    new PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  return new LambdaFunction(scope, id, {
    role,
    code: Code.fromAsset(ROOT, {
      // The asset is named by a hash of what was built (a few files), not of its source: hashing
      // the source folder would walk the whole repository, node_modules included, at every synth.
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never pulled: the local build always succeeds or throws, so synth needs no Docker.
        image: DockerImage.fromRegistry('unused'),
        local: new LocalBuild(join('functions', props.entry)),
      },
    }),
    handler: 'index.handler',
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memoryMb ?? DEFAULT_MEMORY_MB,
    timeout: props.timeout ?? Duration.seconds(10),
    reservedConcurrentExecutions: props.reservedConcurrency,
    logGroup,
    environment: props.environment,
  });
}

/** ses:SendEmail from the configured identity, and only with the configured From address. */
export function grantSendMail(
  fn: LambdaFunction,
  mail: { readonly from: string; readonly identity: string },
): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        Stack.of(fn).formatArn({ service: 'ses', resource: 'identity', resourceName: mail.identity }),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': mailAddress(mail.from) } },
    }),
  );
}
