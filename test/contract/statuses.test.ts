// Every status the OpenAPI document promises is produced by some test, and every status a test
// saw is in the document. The integration and e2e suites log each answer of the local API
// (local/server.ts, test/support/response-log.ts); `npm test` runs this after them. A log that a
// partial run wrote (one file, -t, a run cut short) is refused, not judged: it lacks answers.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import document from '../../functions/openapi.json' with { type: 'json' };
import { routes } from '../../functions/routes.ts';
import { partialRun, readRunRecord, responseLog } from '../support/response-log.ts';

const SUITES = ['integration', 'e2e'];

const refusals = SUITES.flatMap(
  (suite) => partialRun(suite, readRunRecord(suite), inject('vitestRun')) ?? [],
);

function seen(): Set<string> {
  const lines = SUITES.flatMap((suite) =>
    readFileSync(responseLog(suite), 'utf8').split('\n').filter(Boolean),
  );
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
  it('judges the response logs of whole runs only', () => {
    if (refusals.length > 0) throw new Error(refusals.join('\n'));
  });

  // Read in the tests, not here: a refused log may not exist at all.
  it.skipIf(refusals.length > 0)('every documented status was produced by some test', () => {
    const answers = seen();
    expect([...documented()].filter((s) => !answers.has(s)).sort()).toEqual([]);
  });

  it.skipIf(refusals.length > 0)('every status a test saw is documented', () => {
    const promised = documented();
    expect([...seen()].filter((s) => !promised.has(s)).sort()).toEqual([]);
  });
});
