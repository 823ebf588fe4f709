// The `gatehouse` CLI as a user runs it: the package's bin as a child process, its own HOME (so
// its own netrc), answering each question on stdin when the CLI asks it.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../cli/gatehouse.mjs');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** An answer, or how to find it from what the CLI said so far (its stderr). */
export type Answer = string | ((stderr: string) => Promise<string> | string);

export const newHome = () => mkdtemp(join(tmpdir(), 'gatehouse-home-'));

/**
 * Runs `gatehouse ...args`. Each time the CLI asks (its stderr ends with ": "), the next answer is
 * written to stdin; once they are all given, stdin ends, so a further question is a usage error.
 */
export function gatehouse(
  args: string[],
  options: {
    home: string;
    env?: Record<string, string>;
    answers?: Answer[];
    /** Done once, when the CLI's stderr first matches `when` (the user acting elsewhere). */
    meanwhile?: { when: RegExp; act: (stderr: string) => Promise<void> };
  },
): Promise<CliRun> {
  const answers = [...(options.answers ?? [])];
  let meanwhile = options.meanwhile;
  let acting: Promise<void> = Promise.resolve();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: options.home, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let asked = 0;
    let answering = Promise.resolve();
    if (answers.length === 0) child.stdin.end();
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (meanwhile?.when.test(stderr)) {
        // If the user's part fails, the CLI would wait for it in vain: stop it, and say why.
        acting = meanwhile.act(stderr).catch((err: unknown) => {
          child.kill();
          throw err;
        });
        meanwhile = undefined;
      }
      const questions = (stderr.match(/: $/gm) ?? []).length;
      while (asked < questions && stderr.endsWith(': ')) {
        asked++;
        const next = answers.shift();
        answering = answering.then(async () => {
          if (next === undefined) return;
          child.stdin.write(`${typeof next === 'function' ? await next(stderr) : next}\n`);
          if (answers.length === 0) child.stdin.end();
        });
      }
    });
    child.on('error', fail);
    child.on('close', (status) =>
      Promise.all([answering, acting]).then(() => done({ status, stdout, stderr }), fail),
    );
  });
}
