// A local SES (v1 and v2 APIs) that keeps every mail: a web page at `/` and JSON at `GET /store`.
import type { Server } from 'node:http';
import sesModule from 'aws-ses-v2-local';

type StartSes = (config: { host: string; port: number }) => Promise<Server>;
// The package is CommonJS with `exports.default`: under ESM that arrives one level down.
const startSes: StartSes =
  (sesModule as unknown as { default?: StartSes }).default ?? (sesModule as unknown as StartSes);

export interface LocalSes {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startLocalSes(port: number): Promise<LocalSes> {
  const server = await startSes({ host: '127.0.0.1', port });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
