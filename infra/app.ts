import { App } from 'aws-cdk-lib';
import { readSettings } from './settings.ts';
import { GatehouseStack } from './stack.ts';

const app = new App();
const settings = readSettings(app.node);
new GatehouseStack(app, `Gatehouse-${settings.stage}`, {
  settings,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: `Gatehouse account service (${settings.stage})`,
});
