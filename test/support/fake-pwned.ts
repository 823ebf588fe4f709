// A local stand-in for the Pwned Passwords range API: answers `GET /range/<5 hex>` with
// `SUFFIX:COUNT` lines (plus zero-count padding, as the real one does with Add-Padding).
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePwned {
  readonly url: string;
  readonly requests: { path: string; headers: IncomingHttpHeaders }[];
  /** 'ok' answers; 'error' answers 503; 'slow' waits 3 s. */
  mode: 'ok' | 'error' | 'slow';
  close(): Promise<void>;
}

export async function startFakePwned(breached: Record<string, number>): Promise<FakePwned> {
  const byPrefix = new Map<string, string[]>();
  for (const [password, count] of Object.entries(breached)) {
    const sha1 = createHash('sha1').update(password).digest('hex').toUpperCase();
    byPrefix.set(sha1.slice(0, 5), [...(byPrefix.get(sha1.slice(0, 5)) ?? []), `${sha1.slice(5)}:${count}`]);
  }
  const fake: FakePwned = {
    url: '',
    requests: [],
    mode: 'ok',
    close: () => new Promise((done) => server.close(() => done())),
  };
  const server = createServer((req, res) => {
    fake.requests.push({ path: req.url ?? '', headers: req.headers });
    if (fake.mode === 'error') return void res.writeHead(503).end();
    const answer = () => {
      const prefix = (req.url ?? '').split('/').pop() ?? '';
      const padding = Array.from({ length: 5 }, (_, i) => `${'0'.repeat(34)}${i}:0`);
      res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end([...(byPrefix.get(prefix) ?? []), ...padding].join('\r\n'));
    };
    if (fake.mode === 'slow') setTimeout(answer, 3000);
    else answer();
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  Object.assign(fake, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/range/` });
  return fake;
}
