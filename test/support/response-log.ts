// Each suite that drives the API starts its response log afresh (local/server.ts writes it), so
// the contract test (test/contract) judges this run's answers, never an older run's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

export const RESPONSE_LOG_DIR = resolve(import.meta.dirname, '../../.cache/responses');
export const responseLog = (project: string) => resolve(RESPONSE_LOG_DIR, `${project}.log`);

export default function setup(project: TestProject) {
  const file = responseLog(project.name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
}
