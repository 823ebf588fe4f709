// The account lifecycle events (docs/events.md): the stack's EventBridge bus, and the publisher
// the table's stream feeds (functions/platform/publisher.ts). The stream passes it only new outbox
// items, in order per shard (parallelization 1); a failed record is retried from where it failed
// (partial batch responses), for up to a day and ten attempts, then the batch's position goes to a
// dead-letter queue, whose first message raises an alarm (docs/operations.md).
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import {
  EventSourceMapping,
  FilterCriteria,
  FilterRule,
  type Function as LambdaFunction,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTBOX_TYPE } from '#data/outbox.ts';
import { gatehouseFunction } from './lambda.ts';

/** The publisher's function (file under functions/). */
export const PUBLISHER = { id: 'platform-publisher', entry: 'platform/publisher.ts' } as const;

/** What numbering an event takes of the table: the outbox item and the account's counter. */
export const PUBLISHER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:UpdateItem'] as const;

export interface LifecycleEventsProps {
  readonly table: ITableV2;
  readonly environment: Record<string, string>;
  readonly stage: string;
  readonly retainLogs?: boolean;
}

export class LifecycleEvents extends Construct {
  readonly bus: EventBus;
  readonly publisher: LambdaFunction;
  readonly deadLetters: Queue;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: LifecycleEventsProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: `gatehouse-${props.stage}` });
    this.publisher = gatehouseFunction(this, PUBLISHER.id, {
      entry: PUBLISHER.entry,
      environment: { ...props.environment, EVENT_BUS_NAME: this.bus.eventBusName },
      timeout: Duration.seconds(30),
      retainLogs: props.retainLogs,
    });
    this.publisher.addToRolePolicy(
      new PolicyStatement({ actions: [...PUBLISHER_TABLE_ACTIONS], resources: [props.table.tableArn] }),
    );
    this.bus.grantPutEventsTo(this.publisher);
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error('the table has no stream: lifecycle events need one');
    this.publisher.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
    );
    this.publisher.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
    );
    Validations.of(this.publisher.role as Role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams, which the stream poller calls, takes no resource narrower than *.',
    });
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'It is the dead-letter queue of the publisher: what lands here is what could not be published.',
    });
    new EventSourceMapping(this, 'FromStream', {
      target: this.publisher,
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      parallelizationFactor: 1,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      maxRecordAge: Duration.days(1),
      bisectBatchOnError: false,
      onFailure: new SqsDlq(this.deadLetters),
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { type: { S: FilterRule.isEqual(OUTBOX_TYPE) } } },
        }),
      ],
    });
    const undelivered = new Alarm(this, 'undelivered', {
      alarmDescription:
        'Lifecycle events could not be published after a day of retries: their stream positions are in the dead-letter queue (docs/operations.md).',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // One alarm: each costs a fixed $0.10 a month, and a failing publisher ends here within its
    // ten retries (a slow one shows in its IteratorAge metric).
    this.alarms = [undelivered];
  }
}
