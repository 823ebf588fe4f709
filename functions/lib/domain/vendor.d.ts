// The common-password list alone, without the rest of the zxcvbn dictionaries.
declare module '@zxcvbn-ts/language-common/dist/passwords.json.mjs' {
  const passwords: string[];
  export default passwords;
}
