import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readSettings } from '../../infra/settings.ts';
import { GatehouseStack } from '../../infra/stack.ts';

export const BASE_CONTEXT = {
  'gatehouse:stage': 'prod',
  'gatehouse:mailFrom': 'Gatehouse <no-reply@mail.example.com>',
  'gatehouse:mailIdentity': 'mail.example.com',
};

/** Synthesizes the stack; bundling is skipped unless asked for (it takes seconds per function). */
export function synth(context: Record<string, string> = {}, options: { bundle?: boolean } = {}) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'gatehouse-cdk-')),
    context: {
      ...BASE_CONTEXT,
      ...context,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = new GatehouseStack(app, 'Test', {
    settings: readSettings(app.node),
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  return { app, stack, template: Template.fromStack(stack) };
}
