import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmsProps {
  readonly httpApi: HttpApi;
  /** Functions whose throttling means their reserved concurrency is used up (a flood, or growth). */
  readonly capped: readonly IFunction[];
  /** Alarms made elsewhere (failed deletions, cleanup errors) that should notify the topic too. */
  readonly others: readonly Alarm[];
  /** The functions other services verify keys with: their errors fail the platform's requests. */
  readonly verifiers?: readonly IFunction[];
  /** Where every alarm goes; without it they show in CloudWatch only. */
  readonly topicArn?: string;
}

/** The service's alarms, all sent to one SNS topic: docs/operations.md says what to do with each. */
export class Alarms extends Construct {
  readonly serverErrors: Alarm;
  readonly throttles?: Alarm;
  readonly verifierErrors?: Alarm;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.serverErrors = new Alarm(this, 'api-5xx', {
      alarmDescription: 'The API answered 5xx: a function fails (see its log group) or AWS has trouble.',
      metric: props.httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.capped.length > 0) {
      this.throttles = new Alarm(this, 'throttles', {
        alarmDescription:
          'Signup or login used up its reserved concurrency and refused requests: a flood, or time to raise the cap (functions/routes.ts).',
        metric: new MathExpression({
          expression: props.capped.map((_, i) => `t${i}`).join(' + '),
          usingMetrics: Object.fromEntries(
            props.capped.map((fn, i) => [`t${i}`, fn.metricThrottles({ statistic: 'Sum' })]),
          ),
          period: Duration.minutes(5),
          label: 'throttled invocations of the capped functions',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    const verifiers = props.verifiers ?? [];
    if (verifiers.length > 0) {
      this.verifierErrors = new Alarm(this, 'verifier-errors', {
        alarmDescription:
          "The platform's authorizer or key lookup failed (not a refused key: an error): the platform's requests fail while it lasts. See the function's log group.",
        metric: new MathExpression({
          expression: verifiers.map((_, i) => `e${i}`).join(' + '),
          usingMetrics: Object.fromEntries(
            verifiers.map((fn, i) => [`e${i}`, fn.metricErrors({ statistic: 'Sum' })]),
          ),
          period: Duration.minutes(5),
          label: 'errors of the authorizer and the lookup',
        }),
        threshold: 5,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    if (props.topicArn) {
      const topic = Topic.fromTopicArn(this, 'topic', props.topicArn);
      for (const alarm of [
        this.serverErrors,
        ...(this.throttles ? [this.throttles] : []),
        ...(this.verifierErrors ? [this.verifierErrors] : []),
        ...props.others,
      ]) {
        alarm.addAlarmAction(new SnsAction(topic));
      }
    }
  }
}
