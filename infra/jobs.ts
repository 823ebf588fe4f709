import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '#data/table.ts';
import { gatehouseFunction } from './lambda.ts';

export interface JobsProps {
  readonly table: ITableV2;
  /** The service's environment (infra/api.ts), shared by every function. */
  readonly environment: Record<string, string>;
  /** How often the cleanup runs. @default 60 minutes */
  readonly cleanupEveryMinutes?: number;
  /** Days an account may stay unconfirmed. @default 7 */
  readonly unconfirmedRetentionDays?: number;
  /** @default true */
  readonly retainLogs?: boolean;
}

/** Scheduled work: the cleanup of never-confirmed signups, with an alarm on its errors. */
export class Jobs extends Construct {
  readonly cleanup: LambdaFn;
  readonly cleanupErrors: Alarm;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    const every = props.cleanupEveryMinutes ?? 60;
    const retention = props.unconfirmedRetentionDays ?? 7;
    if (!Number.isInteger(every) || every < 1)
      throw new Error(`cleanupEveryMinutes must be a whole number ≥ 1: ${every}`);
    if (!Number.isInteger(retention) || retention < 1) {
      throw new Error(`unconfirmedRetentionDays must be a whole number ≥ 1: ${retention}`);
    }

    this.cleanup = gatehouseFunction(this, 'cleanup-unconfirmed', {
      entry: 'jobs/cleanup-unconfirmed.ts',
      environment: { ...props.environment, UNCONFIRMED_RETENTION_DAYS: String(retention) },
      // It stops 30 s before this and leaves the rest to the next run.
      timeout: Duration.minutes(5),
      retainLogs: props.retainLogs,
    });
    // Query the sparse index, delete in transactions: nothing more.
    this.cleanup.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.table.tableArn}/index/${TABLE_SCHEMA.gsi1.indexName}`],
      }),
    );
    this.cleanup.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [props.table.tableArn] }),
    );

    new Rule(this, 'cleanup-schedule', {
      description: 'Removes signups never confirmed',
      schedule: Schedule.rate(Duration.minutes(every)),
      targets: [new LambdaFunction(this.cleanup, { retryAttempts: 2 })],
    });

    this.cleanupErrors = new Alarm(this, 'cleanup-errors', {
      alarmDescription: 'The cleanup of unconfirmed signups failed: see its log group.',
      metric: this.cleanup.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
