// Credentials in ~/.netrc (`_netrc` on Windows), as the Gigalixir CLI keeps them:
// `machine <api host> login <email> password <api key>`. Only the entry of this API's host is ever
// touched: every other byte of the file (other machines, comments, macdefs, layout) stays as it was.
import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  readonly login: string;
  readonly password: string;
}

export const netrcPath = (env: NodeJS.ProcessEnv = process.env): string =>
  join(env.HOME || homedir(), process.platform === 'win32' ? '_netrc' : '.netrc');

interface Entry {
  readonly machine: string;
  /** Where the entry starts and ends in the text (a trailing newline included). */
  readonly start: number;
  readonly end: number;
  readonly fields: Record<string, string>;
}

/** Tokens with their offsets; comments (`#` to the end of the line) and macdef bodies skipped. */
function tokens(text: string): { value: string; start: number; end: number }[] {
  const out: { value: string; start: number; end: number }[] = [];
  const re = /#[^\n]*|"((?:[^"\\]|\\.)*)"|[^\s#]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].startsWith('#')) continue;
    const value = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[0];
    out.push({ value, start: m.index, end: m.index + m[0].length });
    if (value === 'macdef') {
      // A macro's body runs to the next empty line: not tokens.
      const blank = text.indexOf('\n\n', re.lastIndex);
      re.lastIndex = blank < 0 ? text.length : blank + 2;
    }
  }
  return out;
}

function entries(text: string): Entry[] {
  const list = tokens(text);
  const found: Entry[] = [];
  for (let i = 0; i < list.length; i++) {
    const token = list[i];
    if (token?.value !== 'machine' && token?.value !== 'default') continue;
    const isDefault = token.value === 'default';
    const machine = isDefault ? '' : (list[i + 1]?.value ?? '');
    const fields: Record<string, string> = {};
    let j = isDefault ? i + 1 : i + 2;
    for (; j < list.length; j += 2) {
      const key = list[j]?.value;
      if (key === 'machine' || key === 'default' || key === 'macdef' || key === undefined) break;
      fields[key] = list[j + 1]?.value ?? '';
    }
    const last = list[Math.min(j, list.length) - 1] ?? token;
    let end = last.end;
    if (text[end] === '\n') end++;
    if (!isDefault) found.push({ machine, start: token.start, end, fields });
  }
  return found;
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
  const entry = text === undefined ? undefined : entries(text).find((e) => e.machine === host);
  if (!entry?.fields.login || !entry.fields.password) return undefined;
  return { login: entry.fields.login, password: entry.fields.password };
}

const quote = (value: string) =>
  /^[^\s"#\\]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;

const entryText = (host: string, c: Credentials) =>
  `machine ${quote(host)}\n  login ${quote(c.login)}\n  password ${quote(c.password)}\n`;

/** Writes the whole file anew beside it, then moves it into place: never a half-written netrc. */
async function replaceFile(path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.gatehouse-${process.pid}`;
  await writeFile(temporary, text, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
}

/** Sets this host's entry (replacing it in place, or appending it); a new file is made 0600. */
export async function saveCredentials(host: string, c: Credentials, path = netrcPath()): Promise<void> {
  const text = await readText(path);
  if (text === undefined) return replaceFile(path, entryText(host, c), 0o600);
  const mode = (await stat(path)).mode & 0o777;
  const entry = entries(text).find((e) => e.machine === host);
  const next = entry
    ? text.slice(0, entry.start) + entryText(host, c) + text.slice(entry.end)
    : `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${entryText(host, c)}`;
  await replaceFile(path, next, mode);
}

/** Removes this host's entry; false when there was none. */
export async function removeCredentials(host: string, path = netrcPath()): Promise<boolean> {
  const text = await readText(path);
  const entry = text === undefined ? undefined : entries(text).find((e) => e.machine === host);
  if (text === undefined || !entry) return false;
  await replaceFile(
    path,
    text.slice(0, entry.start) + text.slice(entry.end),
    (await stat(path)).mode & 0o777,
  );
  return true;
}
