import { join, resolve } from 'node:path';
import { AssetHashType, DockerImage, Duration, type ILocalBundling, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, LogGroupClass, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { buildFunction } from './build.ts';
import { mailAddress } from './settings.ts';

const ROOT = resolve(import.meta.dirname, '..');

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
