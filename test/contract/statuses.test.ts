// Every status the OpenAPI document promises is produced by some test, and every status a test
// saw is in the document. The integration and e2e suites log each answer of the local API
// (local/server.ts, test/support/response-log.ts); `npm test` runs this after them.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import document from '../../functions/openapi.json' with { type: 'json' };
import { routes } from '../../functions/routes.ts';
import { responseLog } from '../support/response-log.ts';

const SUITES = ['integration', 'e2e'];

function seen(): Set<string> {
  const lines = SUITES.flatMap((suite) => {
    const file = responseLog(suite);
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run the ${suite} tests first (npm test runs them before this)`);
    }
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  });
  return new Set(lines);
}

function documented(): Set<string> {
  const paths = document.paths as unknown as Record<string, Record<string, { responses: object }>>;
  const out = new Set<string>();
  for (const route of routes) {
    for (const method of route.methods) {
      const operation = paths[route.path]?.[method.toLowerCase()];
      if (!operation) throw new Error(`${method} ${route.path} is not in functions/openapi.json`);
      for (const status of Object.keys(operation.responses)) out.add(`${route.id} ${method} ${status}`);
    }
  }
  return out;
}

describe('the OpenAPI document against what the tests saw', () => {
  const answers = seen();
  const promised = documented();

  it('every documented status was produced by some test', () => {
    expect([...promised].filter((s) => !answers.has(s)).sort()).toEqual([]);
  });

  it('every status a test saw is documented', () => {
    expect([...answers].filter((s) => !promised.has(s)).sort()).toEqual([]);
  });
});
