import { join, resolve } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
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
 * Every Gatehouse Lambda: arm64 on nodejs24.x, bundled by the local esbuild (ESM, minified, AWS
 * SDK inside), logging to its own group kept a month.
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
      externalModules: [...UNUSED_CREDENTIAL_PROVIDERS],
      mainFields: ['module', 'main'],
      // Some bundled CommonJS dependencies call require(); ESM output has none of its own.
      banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
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
