import { join, resolve } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LIST_FILES } from '../functions/lib/domain/lists.ts';
import { mailAddress } from './settings.ts';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Credential providers a Lambda never reaches (it has its role's credentials in the environment):
 * left out of the bundle, they cost nothing at cold start; were one ever loaded, the runtime's own
 * copy of the SDK would serve it. Measured by `npm run bench` (bench/cold-start.ts).
 */
export const UNUSED_CREDENTIAL_PROVIDERS: readonly string[] = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/token-providers',
  '@aws-sdk/nested-clients',
];

/**
 * Modules left out of every bundle and loaded only on the code paths that call them: the Stripe SDK
 * (adapters/stripe.ts imports it on a billing function's first Stripe call). Bundled in, it was a
 * third of each billing bundle, parsed at every cold start.
 */
export const LAZY_MODULES: readonly string[] = ['stripe'];

const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

/**
 * What lands beside a function's bundle (`index.mjs` in `outputDir`), as shell commands run in the
 * project at `inputDir` once it is bundled: the domain's word lists (domain/lists.ts reads them
 * beside itself, so beside the bundle once deployed), and for the functions that call Stripe the
 * SDK as a package of its own, `node_modules/stripe`, where the bundle's `import('stripe')` finds it.
 * The SDK is bundled here, from the same locked copy as the rest, rather than installed with
 * NodejsFunction's `nodeModules`: that runs `npm ci` in every billing function's asset at each
 * synth (the network, where npm's cache lacks it; also when tests synth) and ships 23 MB in 271
 * files to load on the first call, where this is one minified file of 240 KB (about 6 ms to load).
 * bench/cold-start.ts runs the same commands.
 */
export function besideBundle(inputDir: string, outputDir: string, options: { stripe?: boolean }): string[] {
  const lists = Object.values(LIST_FILES).map(
    (file) => `cp ${quote(join(inputDir, 'functions/lib/domain', file))} ${quote(join(outputDir, file))}`,
  );
  if (!options.stripe) return lists;
  const sdk = join(outputDir, 'node_modules/stripe');
  return [
    ...lists,
    `${quote(join(inputDir, 'node_modules/.bin/esbuild'))} stripe --bundle --platform=node --format=esm --target=node24 --minify --log-level=warning --outfile=${quote(join(sdk, 'index.mjs'))}`,
    `echo '{"name":"stripe","type":"module","main":"index.mjs"}' > ${quote(join(sdk, 'package.json'))}`,
  ];
}

export interface GatehouseFunctionProps {
  /** File under functions/ exporting `handler`. */
  readonly entry: string;
  /** Calls Stripe: the SDK goes beside its bundle (besideBundle). @default false */
  readonly stripe?: boolean;
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
 * Every Gatehouse Lambda: arm64 on nodejs24.x, bundled by the local esbuild (ESM, minified, AWS
 * SDK inside, LAZY_MODULES outside), with what besideBundle puts beside it, logging to its own
 * group kept a month.
 */
export function gatehouseFunction(
  scope: Construct,
  id: string,
  props: GatehouseFunctionProps,
): NodejsFunction {
  const logGroup = new LogGroup(scope, `${id}-logs`, {
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
  return new NodejsFunction(scope, id, {
    role,
    entry: join(ROOT, 'functions', props.entry),
    handler: 'handler',
    projectRoot: ROOT,
    depsLockFilePath: join(ROOT, 'package-lock.json'),
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memoryMb ?? DEFAULT_MEMORY_MB,
    timeout: props.timeout ?? Duration.seconds(10),
    reservedConcurrentExecutions: props.reservedConcurrency,
    logGroup,
    environment: props.environment,
    bundling: {
      format: OutputFormat.ESM,
      target: 'node24',
      minify: true,
      bundleAwsSDK: true,
      externalModules: [...UNUSED_CREDENTIAL_PROVIDERS, ...LAZY_MODULES],
      mainFields: ['module', 'main'],
      // Some bundled CommonJS dependencies call require(); ESM output has none of its own.
      banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (inputDir, outputDir) => besideBundle(inputDir, outputDir, { stripe: props.stripe }),
      },
    },
  });
}

/** ses:SendEmail from the configured identity, and only with the configured From address. */
export function grantSendMail(
  fn: NodejsFunction,
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
