// asl-validator ships no types: what the tests use of it.
declare module 'asl-validator' {
  interface Result {
    readonly isValid: boolean;
    readonly errors: readonly { readonly 'Error code': string; readonly Message: string }[];
    errorsText(separator?: string): string;
  }
  export default function validator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): Result;
}
