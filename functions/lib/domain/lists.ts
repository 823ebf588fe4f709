// The rules' word lists (common passwords, disposable mail domains) as compact data files beside
// this module: one entry a line, sorted, brotli-compressed, made from the npm packages by
// `npm run lists` (local/lists.ts). Read on first use, they cost a cold start nothing: as
// JavaScript they were most of the bytes of the bundles that hold these rules, parsed at every
// init. The files are constants shipped with the code, like a lazy import(): reading them keeps
// the rules as pure as the module they replace. Deployed, infra/lambda.ts copies them beside each
// bundle, where `import.meta.url` then points.
import { readFileSync } from 'node:fs';

/** The data files, as named beside this module (and beside every bundle). */
export const LIST_FILES = {
  commonPasswords: 'common-passwords.txt.br',
  disposableDomains: 'disposable-domains.txt.br',
} as const;

export type ListName = keyof typeof LIST_FILES;

/** The entries of one list, in the file's order. */
export function readList(name: ListName): string[] {
  // node:zlib is loaded here, on first use: imported at the top, it is a module every cold start of
  // a function with these rules would load (about 0.7 ms), most never to read a list.
  const { brotliDecompressSync } = process.getBuiltinModule('node:zlib');
  const text = brotliDecompressSync(readFileSync(new URL(`./${LIST_FILES[name]}`, import.meta.url))).toString(
    'utf8',
  );
  return text === '' ? [] : text.split('\n');
}

const sets = new Map<ListName, ReadonlySet<string>>();

/** The list as a set, read once per container on its first use. */
export function listSet(name: ListName): ReadonlySet<string> {
  let set = sets.get(name);
  if (!set) {
    set = new Set(readList(name));
    sets.set(name, set);
  }
  return set;
}
