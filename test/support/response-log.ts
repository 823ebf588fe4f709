// Each suite that drives the API starts its response log afresh (local/server.ts writes it), so
// the contract test (test/contract) judges this run's answers, never an older run's. Beside the
// log goes a record of the run that wrote it: which of the suite's test files it took, whether a
// name filter (-t) narrowed it, and whether it finished. A partial run's log lacks answers the
// whole suite gives, so the contract test refuses it instead of reporting them missing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { TestProject } from 'vitest/node';

export const RESPONSE_LOG_DIR = resolve(import.meta.dirname, '../../.cache/responses');
export const responseLog = (project: string) => resolve(RESPONSE_LOG_DIR, `${project}.log`);
const runRecordFile = (project: string) => resolve(RESPONSE_LOG_DIR, `${project}.run.json`);

declare module 'vitest' {
  export interface ProvidedContext {
    /** RUN_ID, provided to the contract project (vitest.config.ts). */
    vitestRun: string;
  }
}

/**
 * This Vitest process. A suite logged by the same process as the contract test ran in an earlier
 * group (vitest.config.ts: sequence.groupOrder), so it was over before the contract test began.
 */
export const RUN_ID = `${process.pid}@${performance.timeOrigin}`;

export interface RunRecord {
  readonly suite: string;
  readonly run: string;
  /** Every test file of the suite, and the ones this run took (paths from the project root). */
  readonly files: readonly string[];
  readonly ran: readonly string[];
  /** What narrowed the tests inside those files (-t, tag filters). */
  readonly filters: readonly string[];
  /** Written when the run ends: the files it took that never ran (a bail, Ctrl-C). */
  readonly unfinished?: readonly string[];
}

/**
 * Why `suite`'s response log does not hold every answer of the whole suite, or undefined when it
 * does: the run took every test file, no filter narrowed it, and it finished (or it is `currentRun`,
 * the contract test's own, whose earlier group is over).
 */
export function partialRun(
  suite: string,
  record: RunRecord | undefined,
  currentRun: string,
): string | undefined {
  const partial = (why: string) =>
    `The ${suite} response log is partial (${why}): run the whole suite before the contract check ` +
    `(npm test; or npm run test:${suite} and then npm run test:contract).`;
  if (!record) return partial('no record of the run that wrote it');
  const skipped = record.files.filter((file) => !record.ran.includes(file));
  if (skipped.length > 0) {
    const shown = record.ran.slice(0, 3).join(', ') + (record.ran.length > 3 ? ', ...' : '');
    return partial(`the run took ${record.ran.length} of its ${record.files.length} test files: ${shown}`);
  }
  if (record.filters.length > 0) return partial(`the run was narrowed by ${record.filters.join(' ')}`);
  if (record.unfinished === undefined && record.run !== currentRun) {
    return partial('the run that wrote it never finished');
  }
  if (record.unfinished !== undefined && record.unfinished.length > 0) {
    return partial(`the run stopped before ${record.unfinished.length} of its test files ran`);
  }
  return undefined;
}

export function readRunRecord(suite: string): RunRecord | undefined {
  const file = runRecordFile(suite);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunRecord) : undefined;
}

const writeRunRecord = (record: RunRecord) =>
  writeFileSync(runRecordFile(record.suite), `${JSON.stringify(record, null, 2)}\n`);

export default async function setup(project: TestProject) {
  const suite = project.name;
  const file = responseLog(suite);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');

  const fromRoot = (path: string) => relative(project.config.root, path).split(sep).join('/');
  const all = (await project.globTestFiles()).testFiles;
  // Every test file this run takes, of any project (after file filters, --changed, --shard).
  const taken = new Set(project.vitest.state.getPaths());
  const { testNamePattern, tagsFilter } = project.vitest.config;
  const record: RunRecord = {
    suite,
    run: RUN_ID,
    files: all.map(fromRoot).sort(),
    ran: all
      .filter((path) => taken.has(path))
      .map(fromRoot)
      .sort(),
    filters: [
      ...(testNamePattern ? [`-t ${testNamePattern.source}`] : []),
      ...(tagsFilter ?? []).map((tags) => `--tags-filter ${tags}`),
    ],
  };
  writeRunRecord(record);

  return () => {
    const ran = new Set(
      project.vitest.state
        .getTestModules()
        .filter((module) => module.project.name === suite && !['queued', 'pending'].includes(module.state()))
        .map((module) => module.moduleId),
    );
    writeRunRecord({
      ...record,
      unfinished: all.filter((path) => taken.has(path) && !ran.has(path)).map(fromRoot),
    });
  };
}
