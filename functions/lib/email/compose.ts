// A mail as its sender names it, a template of templates.ts and that template's arguments, made
// into its subject, text and HTML where it is sent (send.ts). This module loads with the SES client
// on a function's first mail, so the templates (and the HTML they share with no page) stay off
// every cold start; the sender's arguments are checked against the template's at compile time.

import type { Message } from './templates.ts';
import * as templates from './templates.ts';

type Templates = typeof templates;
type Name = {
  [K in keyof Templates]: Templates[K] extends (...args: never[]) => Message ? K : never;
}[keyof Templates];

/** `['newDeviceNotice', at, signIn]`: the template's name, then what it takes. */
export type Mail = { [K in Name]: readonly [K, ...Parameters<Templates[K]>] }[Name];

export function compose([name, ...args]: Mail): Message {
  // biome-ignore lint/performance/noDynamicNamespaceImportAccess: every template is wanted, in this lazy chunk.
  return (templates[name] as (...given: readonly unknown[]) => Message)(...args);
}
