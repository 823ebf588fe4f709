// `npx cdk synth --app 'npx tsx examples/platform/app.ts'`: the example platform stack, for the
// Gatehouse stage named by -c gatehouseStage (default prod), in the same account and region.
import { App } from 'aws-cdk-lib';
import { PlatformStack } from './platform-stack.ts';

const app = new App();
new PlatformStack(app, 'ExamplePlatform', {
  gatehouseStage: String(app.node.tryGetContext('gatehouseStage') ?? 'prod'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
