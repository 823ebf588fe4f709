// Gatehouse's side of the platform contract (docs/integration.md): the authorizer other HTTP APIs
// of the account attach (infra/integration.ts), the lookup function the platform's roles invoke,
// and the SSM parameters that name them for other stacks.

import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { ArnPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PUBLISHED, parameterName } from './integration.ts';
import { gatehouseFunction } from './lambda.ts';

/**
 * What verifying a key reads and writes: the key and its account (GetItem, BatchGetItem), the
 * undo link of an email change (a key presented with the previous address), and a key's last use
 * (UpdateItem, at most hourly). Nothing else of the table.
 */
export const VERIFY_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'] as const;

/** The platform's two functions: the authorizer and the lookup (files under functions/). */
export const PLATFORM_FUNCTIONS = [
  { id: 'platform-authorizer', entry: 'platform/authorizer.ts' },
  { id: 'platform-lookup', entry: 'platform/lookup.ts' },
] as const;

export interface PlatformProps {
  readonly table: ITableV2;
  /** Where the account lifecycle events go (infra/events.ts). */
  readonly bus: IEventBus;
  readonly environment: Record<string, string>;
  readonly stage: string;
  /** Roles of the platform's services that may invoke the lookup function. */
  readonly platformRoleArns: readonly string[];
  readonly retainLogs?: boolean;
}

export class Platform extends Construct {
  readonly authorizer: LambdaFunction;
  readonly lookup: LambdaFunction;

  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    const verifier = (name: string, entry: string) => {
      const fn = gatehouseFunction(this, name, {
        entry,
        environment: props.environment,
        retainLogs: props.retainLogs,
      });
      fn.addToRolePolicy(
        new PolicyStatement({ actions: [...VERIFY_ACTIONS], resources: [props.table.tableArn] }),
      );
      return fn;
    };
    const [authorizer, lookup] = PLATFORM_FUNCTIONS;
    this.authorizer = verifier(authorizer.id, authorizer.entry);
    this.lookup = verifier(lookup.id, lookup.entry);
    // A resource policy, so the platform's roles stay the platform's: nothing here edits them.
    props.platformRoleArns.forEach((arn, i) => {
      this.lookup.addPermission(`PlatformInvoke${i}`, {
        principal: new ArnPrincipal(arn),
        action: 'lambda:InvokeFunction',
      });
    });
    const publish = (name: (typeof PUBLISHED)[keyof typeof PUBLISHED], value: string, description: string) =>
      new StringParameter(this, name, {
        parameterName: parameterName(props.stage, name),
        stringValue: value,
        description,
      });
    publish(
      PUBLISHED.authorizerFunctionArn,
      this.authorizer.functionArn,
      'Gatehouse authorizer for HTTP API routes',
    );
    publish(
      PUBLISHED.lookupFunctionArn,
      this.lookup.functionArn,
      'Gatehouse key lookup for non-HTTP services',
    );
    publish(PUBLISHED.tableName, props.table.tableName, 'Gatehouse table');
    publish(PUBLISHED.eventBusArn, props.bus.eventBusArn, 'Gatehouse account lifecycle events');
  }
}
