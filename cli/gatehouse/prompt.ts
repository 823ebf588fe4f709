// Questions at the terminal, on stderr (stdout carries data only). From a terminal, hidden answers
// are not echoed; from a pipe, each answer is the next line of stdin, so scripts and tests can
// answer every prompt (each also has a flag).
import { createInterface, type Interface } from 'node:readline';
import { InterruptError, UsageError } from './errors.ts';

let lines: AsyncIterator<string> | undefined;
let reader: Interface | undefined;

async function nextPipedLine(): Promise<string | undefined> {
  reader ??= createInterface({ input: process.stdin, terminal: false });
  lines ??= reader[Symbol.asyncIterator]();
  const { value, done } = await lines.next();
  return done ? undefined : String(value);
}

/** Lets the process end: stdin is only read while a question waits. */
export function closePrompts(): void {
  reader?.close();
}

async function fromTerminal(question: string, hidden: boolean): Promise<string> {
  const stdin = process.stdin;
  if (!hidden) {
    const rl = createInterface({ input: stdin, output: process.stderr });
    return new Promise((done, fail) => {
      let answered = false;
      rl.once('SIGINT', () => rl.close());
      rl.once('close', () => {
        if (!answered) fail(new InterruptError('Interrupted.'));
      });
      rl.question(question, (answer) => {
        answered = true;
        rl.close();
        done(answer);
      });
    });
  }
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  let answer = '';
  return new Promise((done, fail) => {
    // One way out, whatever ends the question: the terminal is always left as it was found.
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) fail(error);
      else done(answer);
    };
    const onEnd = () => finish(new InterruptError('Interrupted.'));
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new InterruptError('Interrupted.'));
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on('data', onData);
    stdin.once('end', onEnd);
  });
}

/**
 * Asks `question` (naming the flag that answers it instead); a usage error when there is neither a
 * terminal nor a piped line to answer it.
 */
export async function ask(question: string, options: { hidden?: boolean; flag: string }): Promise<string> {
  if (process.stdin.isTTY) return (await fromTerminal(`${question}: `, options.hidden === true)).trim();
  process.stderr.write(`${question}: `);
  const line = await nextPipedLine();
  if (line === undefined) {
    process.stderr.write('\n');
    throw new UsageError(`${question}? Nothing to read it from: pass ${options.flag}.`);
  }
  process.stderr.write('\n');
  return line.trim();
}

/** A yes/no question; only y or yes is yes. */
export async function confirm(question: string, flag: string): Promise<boolean> {
  const answer = await ask(`${question} [y/N]`, { flag });
  return /^y(es)?$/i.test(answer);
}
