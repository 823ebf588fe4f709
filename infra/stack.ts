import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { routes } from '../functions/routes.ts';
import { Alarms } from './alarms.ts';
import { Api } from './api.ts';
import { Data } from './data.ts';
import { AccountDeletion } from './deletion.ts';
import { LifecycleEvents } from './events.ts';
import { Jobs } from './jobs.ts';
import { Platform } from './platform.ts';
import type { Settings } from './settings.ts';

export interface GatehouseStackProps extends StackProps {
  readonly settings: Settings;
}

export class GatehouseStack extends Stack {
  readonly data: Data;
  readonly api: Api;
  readonly jobs: Jobs;
  readonly deletion: AccountDeletion;
  readonly alarms: Alarms;
  readonly platform: Platform;
  readonly events: LifecycleEvents;

  constructor(scope: Construct, id: string, props: GatehouseStackProps) {
    super(scope, id, props);
    const { stage, mailFrom, mailIdentity, publicBaseUrl, breachedPasswordCheck } = props.settings;
    const isDev = stage === 'dev';
    this.data = new Data(this, 'Data', { retain: !isDev });
    this.api = new Api(this, 'Api', {
      table: this.data.table,
      mfaKey: this.data.mfaKey,
      google: props.settings.google,
      stripe: props.settings.stripe,
      stage,
      mailFrom,
      mailIdentity,
      // Links in mails point at the custom domain, when there is one and no other origin is named.
      publicBaseUrl: publicBaseUrl ?? (props.settings.domain && `https://${props.settings.domain.name}`),
      domain: props.settings.domain,
      breachedPasswordCheck,
      recentMfaMinutes: props.settings.recentMfaMinutes,
      consoleIdleHours: props.settings.consoleIdleHours,
      consoleSessionDays: props.settings.consoleSessionDays,
      gitHost: props.settings.gitHost,
      retainLogs: !isDev,
      reservedConcurrency: props.settings.reservedConcurrency,
    });
    this.jobs = new Jobs(this, 'Jobs', {
      table: this.data.table,
      environment: this.api.environment,
      cleanupEveryMinutes: props.settings.cleanupEveryMinutes,
      unconfirmedRetentionDays: props.settings.unconfirmedRetentionDays,
      retainLogs: !isDev,
    });
    this.deletion = new AccountDeletion(this, 'Deletion', {
      table: this.data.table,
      environment: this.api.environment,
      stripeSecret: this.api.stripeSecret,
      mailFrom,
      mailIdentity,
      stage,
      retainLogs: !isDev,
      platformCleanup:
        props.settings.platformCleanupHours === undefined
          ? undefined
          : {
              timeout: Duration.hours(props.settings.platformCleanupHours),
              roleArns: props.settings.platformRoleArns,
            },
    });
    this.api.allowDeletion(this.deletion.stateMachine);
    this.events = new LifecycleEvents(this, 'Events', {
      table: this.data.table,
      environment: this.api.environment,
      stage,
      retainLogs: !isDev,
    });
    this.platform = new Platform(this, 'Platform', {
      bus: this.events.bus,
      table: this.data.table,
      environment: this.api.environment,
      stage,
      platformRoleArns: props.settings.platformRoleArns,
      retainLogs: !isDev,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      httpApi: this.api.httpApi,
      capped: routes
        .filter((r) => r.reservedConcurrency !== undefined && props.settings.reservedConcurrency)
        .flatMap((r) => this.api.functions.get(r.id) ?? []),
      others: [this.deletion.failedExecutions, this.jobs.cleanupErrors, ...this.events.alarms],
      verifiers: [this.platform.authorizer, this.platform.lookup],
      topicArn: props.settings.alarmTopicArn,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    if (this.api.domainTarget) {
      // Point the custom domain here: a CNAME, or a Route 53 alias to this host in this zone.
      new CfnOutput(this, 'CustomDomainTarget', { value: this.api.domainTarget.host });
      new CfnOutput(this, 'CustomDomainHostedZoneId', { value: this.api.domainTarget.hostedZoneId });
    }
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    // For platform stacks (infra/integration.ts reads them from SSM; docs/integration.md).
    new CfnOutput(this, 'AuthorizerFunctionArn', { value: this.platform.authorizer.functionArn });
    new CfnOutput(this, 'LookupFunctionArn', { value: this.platform.lookup.functionArn });
    new CfnOutput(this, 'EventBusArn', { value: this.events.bus.eventBusArn });
    // For `npm run deletion:retry` (docs/operations.md).
    new CfnOutput(this, 'DeletionStateMachineArn', { value: this.deletion.stateMachine.stateMachineArn });
  }
}
