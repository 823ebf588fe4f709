// `npm run lists`: the password policy's and the disposable-domain rule's word lists, made from
// their npm packages (devDependencies: nothing of them is deployed) into the compact data files
// functions/lib/domain/lists.ts reads. Run it after updating either package and commit the files;
// test/unit/domain/lists.test.ts fails while they differ from the packages, list for list. Here,
// with the local tooling, because it is a developer's step and no part of any function.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants } from 'node:zlib';
import { LIST_FILES, type ListName } from '#domain/lists.ts';

const require = createRequire(import.meta.url);

/** One entry a line, without repeats, sorted (it compresses to two thirds), brotli at its best. */
function encodeList(entries: readonly string[]): Buffer {
  const bad = entries.find((e) => e === '' || /[\r\n]/.test(e));
  if (bad !== undefined) throw new Error(`an entry no line can hold: ${JSON.stringify(bad)}`);
  const text = Buffer.from([...new Set(entries)].sort().join('\n'), 'utf8');
  return brotliCompressSync(text, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    },
  });
}

// Each list as its package gives it: what the rules matched before these files.
const { default: passwords } = await import('@zxcvbn-ts/language-common/dist/passwords.json.mjs');
const { disposableEmailBlocklist } = require('disposable-email-domains-js') as {
  disposableEmailBlocklist: () => string[];
};
const lists: Record<ListName, string[]> = {
  commonPasswords: passwords,
  disposableDomains: disposableEmailBlocklist(),
};
for (const [name, entries] of Object.entries(lists) as [ListName, string[]][]) {
  const data = encodeList(entries);
  writeFileSync(new URL(`../functions/lib/domain/${LIST_FILES[name]}`, import.meta.url), data);
  console.log(`${LIST_FILES[name]}: ${new Set(entries).size} entries, ${data.length} bytes`);
}
