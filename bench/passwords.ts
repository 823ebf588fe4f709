// `npm run bench`: figures as ratios against a baseline measured in the same run, since absolute
// times on a shared machine are noise. Exits non-zero when a target is missed.
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import {
  ARGON2_PARAMS,
  hashPassword,
  nativeArgon2id,
  nobleArgon2id,
  verifyPassword,
} from '#domain/passwords.ts';

async function measure(name: string, op: () => unknown, minMs = 2000): Promise<number> {
  for (let i = 0; i < 3; i++) await op(); // warm up
  const times: number[] = [];
  const until = performance.now() + minMs;
  while (performance.now() < until || times.length < 10) {
    const start = performance.now();
    await op();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(`${name.padEnd(42)} median ${median.toFixed(3).padStart(9)} ms  (${times.length} runs)`);
  return median;
}

const baselineApp = new Hono().get('/', (c) => c.json({ data: { ok: true } }));
const password = new TextEncoder().encode('correct horse battery staple');
const salt = randomBytes(16);
const stored = await hashPassword('correct horse battery staple');

const baseline = await measure('baseline: in-process Hono JSON request', () => baselineApp.request('/'));
if (!nativeArgon2id) throw new Error('This Node has no native argon2: run through npm (Node 24).');
const native = nativeArgon2id;
const nativeMs = await measure('argon2id node:crypto (m=19456,t=2,p=1)', () =>
  native(password, salt, ARGON2_PARAMS),
);
const nobleMs = await measure('argon2id @noble/hashes (same parameters)', () =>
  nobleArgon2id(password, salt, ARGON2_PARAMS),
);
const verifyMs = await measure('verifyPassword (what a login pays)', () =>
  verifyPassword('correct horse battery staple', stored),
);

const targets = [
  {
    what: 'native argon2id is at least 2x faster than the pure-JS fallback',
    ratio: nobleMs / nativeMs,
    ok: nobleMs / nativeMs >= 2,
  },
  {
    // Node 24 (the Lambda runtime) has node:crypto's argon2: the path Lambda takes is the native one.
    what: 'the path Lambda uses (verifyPassword, PHC parsing and comparison included) is within 1.1x of native',
    ratio: verifyMs / nativeMs,
    ok: verifyMs / nativeMs <= 1.1,
  },
  {
    what: 'a password check costs 100x to 100000x a plain request (too cheap = weak, too dear = DoS)',
    ratio: verifyMs / baseline,
    ok: verifyMs / baseline >= 100 && verifyMs / baseline <= 100_000,
  },
];
console.log('');
for (const t of targets) console.log(`${t.ok ? 'PASS' : 'MISS'}  ${t.what}: ratio ${t.ratio.toFixed(1)}`);
if (targets.some((t) => !t.ok)) process.exit(1);
