import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, NestedStack, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readSettings } from '../../infra/settings.ts';
import { GatehouseStack } from '../../infra/stack.ts';

export const BASE_CONTEXT = {
  'gatehouse:stage': 'prod',
  'gatehouse:mailFrom': 'Gatehouse <no-reply@mail.example.com>',
  'gatehouse:mailIdentity': 'mail.example.com',
};

type Json = unknown;
interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, Json> }>;
  Outputs?: Record<string, { Value: Json }>;
  Parameters?: Record<string, Json>;
  [section: string]: Json;
}

/** Each nested stack under `stack` (the route stacks of infra/api.ts), with its own template. */
export function nestedStacksOf(stack: Stack): NestedStack[] {
  return stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c));
}

/** What CloudFormation is given: the stack's template and each nested stack's, by construct id. */
export function templatesOf(stack: Stack): Record<string, Json> {
  return Object.fromEntries(
    [stack, ...nestedStacksOf(stack)].map((s) => [s.node.id, Template.fromStack(s).toJSON()]),
  );
}

/**
 * The stack's template with its nested stacks' resources put back in it, as CloudFormation resolves
 * them: a nested parameter becomes the value the parent passes, a parent's `Outputs.X` of a nested
 * stack becomes that output's value. Tests ask questions of the whole deployment (this route's
 * function, its role, its IAM actions on the table) whatever stack a resource sits in; the stacks'
 * own counts are checked from their own templates (stack.test.ts).
 */
export function flatTemplate(stack: Stack): CfnTemplate {
  const parent = Template.fromStack(stack).toJSON() as CfnTemplate;
  const resources = { ...parent.Resources };
  const nested = new Map<string, CfnTemplate>();
  for (const child of nestedStacksOf(stack)) {
    const resourceId = stack.getLogicalId(child.nestedStackResource as never);
    const template = Template.fromStack(child).toJSON() as CfnTemplate;
    const passed = (resources[resourceId]?.Properties?.Parameters ?? {}) as Record<string, Json>;
    nested.set(resourceId, substitute(template, (node) => refOf(node, passed)) as CfnTemplate);
    delete resources[resourceId];
  }
  for (const template of nested.values()) {
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (id in resources) throw new Error(`logical id ${id} is in two stacks`);
      resources[id] = resource;
    }
  }
  const outputOf = (node: Json): Json | undefined => {
    const getAtt = (node as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (!Array.isArray(getAtt) || !nested.has(getAtt[0]) || !getAtt[1].startsWith('Outputs.'))
      return undefined;
    const output = nested.get(getAtt[0])?.Outputs?.[getAtt[1].slice('Outputs.'.length)];
    if (!output) throw new Error(`no output ${getAtt[1]} in ${getAtt[0]}`);
    return output.Value;
  };
  const dependsOn = (node: Json): Json | undefined => {
    // A nested stack is complete when all its resources are: depending on it is depending on them.
    if (typeof node !== 'object' || node === null || !('DependsOn' in node)) return undefined;
    const { DependsOn, ...rest } = node as { DependsOn: string | string[] };
    const on = [DependsOn].flat().flatMap((d) => Object.keys(nested.get(d)?.Resources ?? { [d]: null }));
    return { ...(substitute(rest, outputOf) as object), DependsOn: on };
  };
  return substitute(
    { ...parent, Resources: resources },
    (node) => dependsOn(node) ?? outputOf(node),
  ) as CfnTemplate;
}

const refOf = (node: Json, passed: Record<string, Json>): Json | undefined => {
  const ref = (node as { Ref?: string }).Ref;
  return typeof ref === 'string' && ref in passed ? passed[ref] : undefined;
};

/** A copy of `node` with each part that `replace` answers for replaced (and not looked into). */
function substitute(node: Json, replace: (node: Json) => Json | undefined): Json {
  if (typeof node !== 'object' || node === null) return node;
  const replaced = replace(node);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(node)) return node.map((n) => substitute(n, replace));
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substitute(v, replace)]));
}

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
  return { app, stack, template: Template.fromJSON(flatTemplate(stack)) };
}
