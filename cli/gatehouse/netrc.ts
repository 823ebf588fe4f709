// Credentials in ~/.netrc (`_netrc` on Windows), as the Gigalixir CLI keeps them:
// `machine <api host> login <email> password <api key>`. Only the entry of this API's host is ever
// touched: every other byte of the file (other machines, comments, macdefs, line endings) stays as
// it was. The file holds keys, so it is written 0600, through a temporary file beside the real one
// (a symlinked netrc stays a symlink).
import { chmod, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Credentials {
  readonly login: string;
  readonly password: string;
}

export const netrcPath = (env: NodeJS.ProcessEnv = process.env): string =>
  join(env.HOME || homedir(), process.platform === 'win32' ? '_netrc' : '.netrc');

interface Token {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

interface Entry {
  readonly machine: string;
  /** From the `machine` keyword to the end of its last value (the line break after it included). */
  readonly start: number;
  readonly end: number;
  /** Each field's value token, to replace in place. */
  readonly fields: Record<string, Token>;
}

/** Tokens with their offsets; comments (a `#` starting a word) and macdef bodies skipped. */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  const re = /(?<![^\s])#[^\n]*|"((?:[^"\\]|\\.)*)"|\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].startsWith('#') && m[1] === undefined && (m.index === 0 || /\s/.test(text[m.index - 1] ?? '')))
      continue;
    const value = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[0];
    out.push({ value, start: m.index, end: m.index + m[0].length });
    if (value === 'macdef') {
      // A macro's body runs to the next blank line: not tokens.
      const blank = /\r?\n[ \t]*\r?\n/g;
      blank.lastIndex = re.lastIndex;
      const found = blank.exec(text);
      re.lastIndex = found ? found.index + found[0].length : text.length;
    }
  }
  return out;
}

const sameHost = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function findEntry(text: string, host: string): Entry | undefined {
  const list = tokens(text);
  for (let i = 0; i < list.length; i++) {
    if (list[i]?.value !== 'machine' || !sameHost(list[i + 1]?.value ?? '', host)) continue;
    const fields: Record<string, Token> = {};
    let j = i + 2;
    for (; j + 1 < list.length; j += 2) {
      const key = list[j]?.value ?? '';
      if (key === 'machine' || key === 'default' || key === 'macdef') break;
      fields[key] = list[j + 1] as Token;
    }
    const last = list[j - 1] as Token;
    const lineBreak = /^\r?\n/.exec(text.slice(last.end));
    return {
      machine: list[i + 1]?.value ?? '',
      start: (list[i] as Token).start,
      end: last.end + (lineBreak?.[0].length ?? 0),
      fields,
    };
  }
  return undefined;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function readCredentials(host: string, path = netrcPath()): Promise<Credentials | undefined> {
  const text = await readText(path);
  const entry = text === undefined ? undefined : findEntry(text, host);
  if (!entry?.fields.login || !entry.fields.password) return undefined;
  return { login: entry.fields.login.value, password: entry.fields.password.value };
}

const quote = (value: string) =>
  /^[^\s"\\]+$/.test(value) && !value.startsWith('#') ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;

/** The file to write: a symlinked netrc is written where the link points. */
async function target(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw err;
  }
}

/** Writes the whole file anew beside it (0600), then moves it into place: never a half-written netrc. */
async function replaceFile(path: string, text: string): Promise<void> {
  const real = await target(path);
  const temporary = join(dirname(real), `.netrc.gatehouse-${process.pid}-${Date.now()}`);
  try {
    await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600);
    await rename(temporary, real);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/** Sets this host's entry: its login and password replaced in place, or a new entry appended. */
export async function saveCredentials(host: string, c: Credentials, path = netrcPath()): Promise<void> {
  const text = (await readText(path)) ?? '';
  const entry = findEntry(text, host);
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  if (entry?.fields.login && entry.fields.password) {
    // Replace the two values only, from the last in the text to the first, so offsets hold.
    const edits = [
      { at: entry.fields.login, value: quote(c.login) },
      { at: entry.fields.password, value: quote(c.password) },
    ].sort((a, b) => b.at.start - a.at.start);
    let next = text;
    for (const { at, value } of edits) next = next.slice(0, at.start) + value + next.slice(at.end);
    return replaceFile(path, next);
  }
  const block = [
    `machine ${quote(host)}`,
    `  login ${quote(c.login)}`,
    `  password ${quote(c.password)}`,
    '',
  ].join(newline);
  const next = entry
    ? text.slice(0, entry.start) + block + text.slice(entry.end)
    : `${text}${text === '' || text.endsWith('\n') ? '' : newline}${block}`;
  await replaceFile(path, next);
}

/** Removes this host's entry (comments inside it stay); false when there was none. */
export async function removeCredentials(host: string, path = netrcPath()): Promise<boolean> {
  const text = await readText(path);
  const entry = text === undefined ? undefined : findEntry(text, host);
  if (text === undefined || !entry) return false;
  const inside = text.slice(entry.start, entry.end);
  const comments = inside.match(/(?<![^\s])#[^\n]*\n?/g)?.join('') ?? '';
  await replaceFile(path, text.slice(0, entry.start) + comments + text.slice(entry.end));
  return true;
}
