// The lifecycle events in the template (issue 20, part 2): the table's stream, the bus, and a
// publisher fed only new outbox items, in order, retried from the failed record, with its dead
// letters and alarms; and what the publisher may do: number events and put them on this bus.
import { describe, expect, it } from 'vitest';
import { OUTBOX_TYPE } from '../../functions/lib/data/outbox.ts';
import { PUBLISHER, PUBLISHER_TABLE_ACTIONS } from '../../infra/events.ts';
import { synth } from './synth.ts';

const { stack, template } = synth();

type Resource = { Properties: Record<string, unknown> };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const idOf = (path: string[]) => {
  let node = stack.node;
  for (const id of path) node = node.findChild(id).node;
  return stack.getLogicalId(node.defaultChild as never);
};
const publisherId = idOf(['Events', PUBLISHER.id]);

type Statement = { Action: string | string[]; Resource: unknown };
const statementsOfPublisher = (): Statement[] => {
  const fn = resources('AWS::Lambda::Function')[publisherId];
  if (!fn) throw new Error('no publisher in the template');
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(resources('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};

describe('the lifecycle events', () => {
  it('stream the new image of every table write', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });

  it('go to a bus of their own, named for the stage and published in SSM', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'gatehouse-prod' });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/gatehouse/prod/event-bus-arn',
      Value: { 'Fn::GetAtt': [idOf(['Events', 'Bus']), 'Arn'] },
    });
    template.hasOutput('EventBusArn', { Value: { 'Fn::GetAtt': [idOf(['Events', 'Bus']), 'Arn'] } });
    synth({ 'gatehouse:stage': 'dev' }).template.hasResourceProperties('AWS::Events::EventBus', {
      Name: 'gatehouse-dev',
    });
  });

  it('reach the publisher only as new outbox items, one batch at a time per shard, retried from the failed record', () => {
    const mappings = Object.values(resources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties).toMatchObject({
      FunctionName: { Ref: publisherId },
      EventSourceArn: { 'Fn::GetAtt': [idOf(['Data', 'Table']), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: false,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 24 * 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [idOf(['Events', 'DeadLetters']), 'Arn'] } },
      },
    });
    const { Filters: filters } = (mappings[0]?.Properties.FilterCriteria ?? { Filters: [] }) as {
      Filters: { Pattern: string }[];
    };
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: [OUTBOX_TYPE] } } } },
    ]);
  });

  it('are numbered and put on this bus by a publisher that can do nothing else', () => {
    const statements = statementsOfPublisher();
    const actions = statements.flatMap((s) => [s.Action].flat());
    const table = actions.filter((a) => a.startsWith('dynamodb:'));
    expect(table.sort()).toEqual(
      [
        ...PUBLISHER_TABLE_ACTIONS,
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ].sort(),
    );
    // The table's actions on the table alone (no index), the stream's on its stream.
    const on = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));
    const tableId = idOf(['Data', 'Table']);
    expect(on('dynamodb:GetItem').map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
    expect(on('dynamodb:GetRecords').map((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [tableId, 'StreamArn'] },
    ]);
    const put = statements.filter((s) => [s.Action].flat().includes('events:PutEvents'));
    expect(put.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [idOf(['Events', 'Bus']), 'Arn'] }]);
    // Its dead letters go out under its role; no mail, no secrets, no workflow, no other bus.
    expect(on('sqs:SendMessage').map((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [idOf(['Events', 'DeadLetters']), 'Arn'] },
    ]);
    expect(actions.filter((a) => !/^(dynamodb|logs|sqs):/.test(a))).toEqual(['events:PutEvents']);
  });

  it('raise an alarm on the first dead letter', () => {
    const alarms = Object.values(resources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 1,
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(['Events', 'DeadLetters']), 'QueueName'] } },
        ],
      }),
    );
  });
});
