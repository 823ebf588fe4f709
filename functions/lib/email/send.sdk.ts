// What send.ts takes from the SES SDK, and all it loads: send.ts imports this module on the first
// mail. Naming the two exports here lets esbuild leave the rest of the client (the other commands
// and their schemas) out of that lazy chunk, which a dynamic import of the package itself would keep.
export { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
