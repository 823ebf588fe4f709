// When the contract test may judge a suite's response log: only one a whole run of the suite wrote.
import { describe, expect, it } from 'vitest';
import { partialRun, type RunRecord } from '../support/response-log.ts';

const FILES = ['test/integration/a.test.ts', 'test/integration/b.test.ts', 'test/integration/c.test.ts'];
const whole: RunRecord = { suite: 'integration', run: 'earlier', files: FILES, ran: FILES, filters: [] };
const judge = (record: RunRecord | undefined, currentRun = 'now') =>
  partialRun('integration', record, currentRun);

describe('partialRun', () => {
  it('judges a whole run that finished, or one of this process whose group is over', () => {
    expect(judge({ ...whole, unfinished: [] })).toBeUndefined();
    expect(judge(whole, 'earlier')).toBeUndefined();
  });

  it('refuses a log with no record of its run', () => {
    expect(judge(undefined)).toBe(
      'The integration response log is partial (no record of the run that wrote it): run the whole ' +
        'suite before the contract check (npm test; or npm run test:integration and then npm run test:contract).',
    );
  });

  it('refuses a run of some of the files, naming what ran', () => {
    const one = judge({ ...whole, ran: ['test/integration/b.test.ts'], unfinished: [] });
    expect(one).toContain('the run took 1 of its 3 test files: test/integration/b.test.ts');
    expect(one).toContain('run the whole suite before the contract check');
    const many = Array.from({ length: 5 }, (_, i) => `test/integration/f${i}.test.ts`);
    expect(
      judge({ ...whole, files: [...many, 'test/integration/g.test.ts'], ran: many, unfinished: [] }),
    ).toContain(
      '5 of its 6 test files: test/integration/f0.test.ts, test/integration/f1.test.ts, test/integration/f2.test.ts, ...',
    );
  });

  it('refuses a run narrowed to some tests by name, even of every file, and in this process', () => {
    expect(judge({ ...whole, filters: ['-t burst'] }, 'earlier')).toContain('narrowed by -t burst');
  });

  it('refuses a run that never finished, or stopped before all its files ran', () => {
    expect(judge(whole)).toContain('the run that wrote it never finished');
    expect(judge({ ...whole, unfinished: ['test/integration/c.test.ts'] })).toContain(
      'stopped before 1 of its test files ran',
    );
    expect(judge({ ...whole, unfinished: ['test/integration/c.test.ts'] }, 'earlier')).toContain('stopped');
  });
});
