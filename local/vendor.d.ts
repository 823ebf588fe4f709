// The common-password list alone, without the rest of the zxcvbn dictionaries: read by
// `npm run lists` (local/lists.ts) and by the test that the committed file holds that list.
declare module '@zxcvbn-ts/language-common/dist/passwords.json.mjs' {
  const passwords: string[];
  export default passwords;
}
