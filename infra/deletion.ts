import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  DEFINITION_FILE,
  deletionSteps,
  PLATFORM_CLEANUP_SUBSTITUTION,
  substitutionOf,
} from '../functions/workflows/steps.ts';
import { gatehouseFunction, grantSendMail } from './lambda.ts';

export interface AccountDeletionProps {
  readonly table: ITableV2;
  /** The service's environment (infra/api.ts), shared by every function. */
  readonly environment: Record<string, string>;
  /** Stripe's secrets, where billing is configured: read by the step that cancels billing. */
  readonly stripeSecret?: ISecret;
  readonly mailFrom: string;
  readonly mailIdentity: string;
  readonly stage: string;
  /** @default true */
  readonly retainLogs?: boolean;
  /** Wait this long for the platform's cleanup after the claim (WaitForPlatform); none if unset. */
  readonly platformCleanup?: { readonly timeout: Duration; readonly roleArns: readonly string[] };
}

/**
 * The account deletion workflow: a Standard state machine from the one definition file
 * (functions/workflows/account-deletion.asl.json), a Lambda per task with only the access its row
 * in functions/workflows/steps.ts names, its own log group, and an alarm on failed executions.
 */
export class AccountDeletion extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  readonly failedExecutions: Alarm;

  constructor(scope: Construct, id: string, props: AccountDeletionProps) {
    super(scope, id);
    const functions = new Map<string, LambdaFunction>();
    for (const step of deletionSteps) {
      const fn = gatehouseFunction(this, step.id, {
        entry: step.entry,
        environment: {
          ...props.environment,
          ...(step.access.stripe && props.stripeSecret
            ? { STRIPE_SECRETS_ARN: props.stripeSecret.secretArn }
            : {}),
        },
        // A page of the purge is a few batch writes; retries are the workflow's, with backoff.
        timeout: Duration.seconds(60),
        retainLogs: props.retainLogs,
      });
      fn.addToRolePolicy(
        new PolicyStatement({ actions: [...step.access.table], resources: [props.table.tableArn] }),
      );
      if (step.access.mail) grantSendMail(fn, { from: props.mailFrom, identity: props.mailIdentity });
      if (step.access.stripe) props.stripeSecret?.grantRead(fn);
      functions.set(step.state, fn);
    }
    this.functions = functions;

    const logs = new LogGroup(this, 'logs', {
      // The vended-logs prefix keeps CloudWatch's resource policy small as state machines add up.
      logGroupName: `/aws/vendedlogs/states/gatehouse-${props.stage}-account-deletion`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: (props.retainLogs ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      comment: 'Deletes a Gatehouse account and everything it owns',
      definitionBody: DefinitionBody.fromFile(DEFINITION_FILE),
      definitionSubstitutions: {
        ...Object.fromEntries(
          deletionSteps.map((step) => [substitutionOf(step), functions.get(step.state)?.functionArn ?? '']),
        ),
        [PLATFORM_CLEANUP_SUBSTITUTION]: String(props.platformCleanup?.timeout.toSeconds() ?? 0),
      },
      // Every state transition, never the execution's data: states carry no address, but keep it so.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // The definition is a file, so CDK cannot see which functions it calls: grant each one (the
    // functions themselves, not their versions: the definition names no qualifier).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [...functions.values()].map((fn) => fn.functionArn),
      }),
    );
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for Step Functions logging and tracing: CloudWatch log delivery (logs:*LogDelivery, resource policies) and X-Ray accept no narrower resource.',
    });

    // The platform's roles answer the wait's task token; granted on this state machine alone, by a
    // policy of this stack attached to each role (the platform's own policies stay untouched).
    if (props.platformCleanup) {
      const answer = new PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [this.stateMachine.stateMachineArn],
      });
      const account = Stack.of(this).account;
      props.platformCleanup.roleArns.forEach((arn, i) => {
        // CDK attaches a policy to a role of this account only, and a state machine takes no
        // resource policy: a role elsewhere could never answer. Refuse it here, not at 3 a.m.
        const roleAccount = arn.split(':')[4];
        if (!Token.isUnresolved(account) && roleAccount !== account)
          throw new Error(
            `gatehouse:platformCleanupHours: ${arn} is in account ${roleAccount}, not ${account}: the roles that answer a deletion's token must be in the stack's account`,
          );
        new Policy(this, `PlatformCleanupAnswer${i}`, {
          statements: [answer],
          roles: [Role.fromRoleArn(this, `PlatformRole${i}`, arn, { mutable: true })],
        });
      });
    }

    this.failedExecutions = new Alarm(this, 'failed-executions', {
      alarmDescription:
        'An account deletion failed and the account is DELETION_FAILED: see docs/operations.md.',
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
