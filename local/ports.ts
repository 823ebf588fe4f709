// Before anything starts: every port the local stack will listen on must be free, or `npm start`
// stops with one line naming the port and the variable that moves it (a taken mail port used to
// leave mail going nowhere; a taken DynamoDB port, a JSON parse error).
import { createServer } from 'node:net';

export interface NamedPort {
  /** The environment variable that sets it, e.g. MAIL_PORT. */
  readonly variable: string;
  /** What listens there, e.g. "the mail viewer". */
  readonly what: string;
  readonly port: number;
}

/** True when nothing listens on 127.0.0.1:port (nor on every address). */
function isFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => done(true)));
  });
}

/** The first taken port's sentence, or undefined when all are free (0 picks a free one: skipped). */
export async function takenPort(ports: readonly NamedPort[]): Promise<string | undefined> {
  for (const p of ports) {
    if (p.port !== 0 && !(await isFree(p.port))) {
      return `Port ${p.port} (${p.what}) is in use: stop what uses it, or set ${p.variable} to a free port.`;
    }
  }
  return undefined;
}
