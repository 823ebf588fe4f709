// What step-functions.ts takes from its SDK, and all it loads: imported on the first start of a
// deletion, so the destroy function does not parse the client at every cold start. Naming the two
// exports lets esbuild leave the rest of the client out, which importing the package would keep.
export { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
