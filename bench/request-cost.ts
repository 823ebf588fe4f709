// What each request costs in DynamoDB, over a user's lifecycle on DynamoDB Local: commands sent,
// round trips (commands in sequence: calls that run in parallel count once) and consumed capacity,
// counted by a middleware on the one client every handler shares. Emulators miscount
// transactions' capacity (DynamoDB bills 2 units per item written in a transaction), so writes in
// transactions are counted by hand here: items × 2. Budgets (issue 19) are printed with each table.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { startLocalSes } from '../local/ses.ts';
import { devMfaKey, localEnvironment } from '../local/stack.ts';
import { createTable } from '../local/table.ts';
import { freePort } from '../test/support/ports.ts';
import { BARE_USERS_READ } from './cost.ts';

const ROOT = resolve(import.meta.dirname, '..');
const dynamo = await startDynamoDbLocal({ port: await freePort() });
const ses = await startLocalSes(await freePort());

interface Cost {
  /** Bytes of our own log lines (as CloudWatch takes them in: one event a line). */
  logBytes: number;
  logLines: number;
  calls: number;
  /** The longest chain of commands each sent after the one before had answered. */
  trips: number;
  commands: Record<string, number>;
  readUnits: number;
  writeUnits: number;
}

try {
  Object.assign(
    process.env,
    localEnvironment({
      dynamoEndpoint: dynamo.endpoint,
      mailUrl: ses.url,
      tableName: 'bench',
      apiUrl: 'http://localhost',
      mfaKey: await devMfaKey(),
    }),
    // Logged as deployed (info), into the counter below instead of the terminal.
    { LOG_LEVEL: 'info' },
  );
  await createTable(new DynamoDBClient({}), 'bench', { stream: false });
  const { db } = await import('#data/client.ts');
  const { createLocalApp } = await import('../local/server.ts');
  const app = await createLocalApp();

  let current: Cost | undefined;
  // Each command's start and end on one logical clock: sequential round trips are the most
  // commands that can be lined up each starting after the previous one ended.
  let clock = 0;
  let spans: { start: number; end: number }[] = [];
  const sequentialTrips = () => {
    let trips = 0;
    let free = -1;
    for (const span of [...spans].sort((a, b) => a.end - b.end)) {
      if (span.start > free) {
        trips++;
        free = span.end;
      }
    }
    return trips;
  };
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const start = clock++;
      const result = await next(args);
      if (current) spans.push({ start, end: clock++ });
      if (current) {
        const name = context.commandName ?? 'unknown';
        current.calls++;
        current.commands[name] = (current.commands[name] ?? 0) + 1;
        const output = result.output as { ConsumedCapacity?: unknown };
        const consumed = [output.ConsumedCapacity ?? []].flat() as {
          ReadCapacityUnits?: number;
          WriteCapacityUnits?: number;
          CapacityUnits?: number;
        }[];
        if (name === 'TransactWriteItemsCommand') {
          current.writeUnits += 2 * ((input.TransactItems as unknown[] | undefined)?.length ?? 0);
        } else {
          for (const c of consumed) {
            current.readUnits += c.ReadCapacityUnits ?? 0;
            current.writeUnits += c.WriteCapacityUnits ?? 0;
            if (c.ReadCapacityUnits === undefined && c.WriteCapacityUnits === undefined) {
              // Emulators may give only a total: reads and writes told apart by the command.
              if (/Get|Query/.test(name)) current.readUnits += c.CapacityUnits ?? 0;
              else current.writeUnits += c.CapacityUnits ?? 0;
            }
          }
        }
      }
      return result;
    },
    { step: 'initialize', name: 'gatehouseRequestCost' },
  );

  const rows: { step: string; status: number; cost: Cost }[] = [];
  // shared/log.ts writes one JSON line per console call: counted per request, printed never.
  const count =
    (original: typeof console.log) =>
    (...args: unknown[]) => {
      if (!current) return original(...args);
      current.logLines++;
      current.logBytes += Buffer.byteLength(`${args.map(String).join(' ')}\n`);
    };
  console.error = count(console.error);
  const print = console.log;
  console.log = count(console.log);
  const env = { event: { requestContext: { http: { sourceIp: '198.51.100.7' } } } };
  async function step(name: string, path: string, init: RequestInit = {}): Promise<Response> {
    current = { logBytes: 0, logLines: 0, calls: 0, trips: 0, commands: {}, readUnits: 0, writeUnits: 0 };
    spans = [];
    const res = await app.request(path, init, env);
    current.trips = sequentialTrips();
    rows.push({ step: name, status: res.status, cost: current });
    current = undefined;
    return res;
  }
  const json = (body: unknown, headers: Record<string, string> = {}) => ({
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const email = 'cost@example.com';
  const password = 'correct horse battery staple';
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(email)}:${encodeURIComponent(password)}`).toString('base64')}`;

  await step('signup (direct)', '/api/free_users', { method: 'POST', ...json({ email, password }) });
  const store = (await (await fetch(`${ses.url}/store`)).json()) as { emails: { body: { text?: string } }[] };
  const token = /confirm-email\?token=([\w-]+)/.exec(store.emails.at(-1)?.body.text ?? '')?.[1] ?? '';
  await step('confirm email', '/api/users/confirm_email', { method: 'POST', ...json({ token }) });
  const login = await step('login', '/api/login', { headers: { authorization: basic } });
  const { key } = ((await login.json()) as { data: { key: string } }).data;
  // The account's first login makes its devices' item (one write more than any later login).
  await step('login again (a known device)', '/api/login', { headers: { authorization: basic } });
  const bearer = { authorization: `Bearer ${key}` };
  await step('account (first use of the key this hour)', '/api/users', { headers: bearer });
  await step('account', '/api/users', { headers: bearer });
  await step('api keys list', '/api/api_keys', { headers: bearer });
  await step('payment method (none)', '/api/payment_methods', { headers: bearer });
  await step('mfa start', '/api/mfa/start', { method: 'POST', headers: bearer });
  await step('password change', '/api/users/change_password', {
    method: 'PATCH',
    ...json({ current_password: password, new_password: 'another long passphrase' }, bearer),
  });
  await step('reset request', '/api/users/reset_password', { method: 'PUT', ...json({ email }) });
  const reset = await step('key reset', '/api/api_keys/regenerate', {
    method: 'POST',
    ...json({ current_password: 'another long passphrase' }, bearer),
  });
  const resetKey = {
    authorization: `Bearer ${((await reset.json()) as { data: { key: string } }).data.key}`,
  };
  await step('account with the key reset away', '/api/users', { headers: bearer });
  // Logged out after some use, as keys are: its first use this hour is not the logout's cost.
  await app.request('/api/users', { headers: resetKey }, env);
  await step('logout', '/api/api_keys/current', { method: 'DELETE', headers: resetKey });
  await step('account with the revoked key', '/api/users', { headers: resetKey });
  // A key minted before keys carried their address: resolved by digest, then the account.
  const { newKeyRecord, storeApiKey } = await import('#data/api-keys.ts');
  const { getUserByEmail } = await import('#data/profiles.ts');
  const { newApiKey } = await import('#domain/api-keys.ts');
  const userId = (await getUserByEmail(email))?.userId ?? '';
  const legacy = newApiKey('not-a-uuid: a legacy key');
  await storeApiKey(newKeyRecord(userId, legacy, new Date().toISOString(), { origin: { ip: '192.0.2.1' } }));
  const legacyBearer = { authorization: `Bearer ${legacy.key}` };
  await app.request('/api/users', { headers: legacyBearer }, env);
  await step('account with a legacy key', '/api/users', { headers: legacyBearer });

  // Our lines are counted per request above; the rest of the run logs nothing.
  process.env.LOG_LEVEL = 'silent';
  print('DynamoDB cost per request, over a user lifecycle on DynamoDB Local');
  print(
    `${'request'.padEnd(42)} ${'status'.padStart(6)} ${'calls'.padStart(6)} ${'trips'.padStart(6)} ${'RCU'.padStart(6)} ${'WCU'.padStart(6)} ${'log B'.padStart(6)}  commands`,
  );
  for (const r of rows) {
    const commands = Object.entries(r.cost.commands)
      .map(([c, n]) => `${c.replace(/Command$/, '')}×${n}`)
      .join(' ');
    print(
      `${r.step.padEnd(42)} ${String(r.status).padStart(6)} ${String(r.cost.calls).padStart(6)} ${String(r.cost.trips).padStart(6)} ${r.cost.readUnits.toFixed(1).padStart(6)} ${r.cost.writeUnits.toFixed(1).padStart(6)} ${String(r.cost.logBytes).padStart(6)}  ${commands}`,
    );
  }
  const row = (name: string) => {
    const found = rows.find((r) => r.step === name);
    if (!found) throw new Error(`the bench has no step "${name}"`);
    return found;
  };
  const within = (names: string[], what: 'trips' | 'writeUnits', most: number) => ({
    ok: names.every((n) => row(n).cost[what] <= most),
    measured: names.map((n) => `${n}: ${row(n).cost[what]}`).join(', '),
  });
  const budgets = [
    {
      what: 'an authenticated read is one round trip (the key and the account together)',
      ...within(['account', 'payment method (none)'], 'trips', 1),
    },
    { what: 'login ≤ 4 round trips', ...within(['login', 'login again (a known device)'], 'trips', 4) },
    {
      what: 'login ≤ 8 write units',
      ...within(['login', 'login again (a known device)'], 'writeUnits', 8),
    },
    {
      what: 'password change, logout, key reset and reset request ≤ 4 round trips each',
      ...within(['password change', 'logout', 'key reset', 'reset request'], 'trips', 4),
    },
    {
      what: 'no Scan on any request path',
      ok: rows.every((r) => !r.cost.commands.ScanCommand),
      measured: `${rows.length} requests`,
    },
  ];
  print('\nBudget                                                                       measured');
  for (const b of budgets) print(`${b.ok ? 'met   ' : 'MISSED'}  ${b.what.padEnd(70)} ${b.measured}`);

  // Local latency: each request many times, in process against DynamoDB Local, beside a bare
  // GetItem on the same table (the floor any request that reads pays). Ratios, not milliseconds.
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const percentiles = (times: number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
    return { p50: at(0.5), p95: at(0.95) };
  };
  const RUNS = Number(process.env.LATENCY_RUNS ?? 200);
  const fresh = await app.request(
    '/api/login',
    {
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(email)}:${encodeURIComponent('another long passphrase')}`).toString('base64')}`,
      },
    },
    env,
  );
  const liveKey = { authorization: `Bearer ${((await fresh.json()) as { data: { key: string } }).data.key}` };
  // The read GET /api/users sends (the key and the account, one BatchGetItem), caught as it goes
  // out, to be sent bare: what the request takes beyond it is our code's own time, which Lambda
  // bills. Against the bare GetItem, DynamoDB Local's own work for the second item counted as ours.
  const { BatchGetItemCommand } = await import('@aws-sdk/client-dynamodb');
  type BatchGetInput = ConstructorParameters<typeof BatchGetItemCommand>[0];
  let catching = false;
  let usersRead: BatchGetInput | undefined;
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (catching && context.commandName === 'BatchGetItemCommand')
        usersRead = structuredClone(args.input as BatchGetInput);
      return next(args);
    },
    { step: 'serialize', name: 'gatehouseCatchUsersRead' },
  );
  catching = true;
  await app.request('/api/users', { headers: liveKey }, env);
  catching = false;
  if (!usersRead) throw new Error('GET /api/users sent no BatchGetItem: update the handler-time baseline');
  const bareUsersRead = usersRead;
  const timed: Record<string, () => unknown> = {
    'bare GetItem (baseline)': () =>
      db.send(new GetCommand({ TableName: 'bench', Key: { pk: 'x', sk: 'y' }, ConsistentRead: true })),
    [BARE_USERS_READ]: () => db.send(new BatchGetItemCommand(bareUsersRead)),
    'GET /api/public/config': () => app.request('/api/public/config', {}, env),
    'GET /api/users': () => app.request('/api/users', { headers: liveKey }, env),
    'GET /api/api_keys': () => app.request('/api/api_keys', { headers: liveKey }, env),
    'GET /api/payment_methods': () => app.request('/api/payment_methods', { headers: liveKey }, env),
  };
  // DynamoDB Local answers on loopback in about a millisecond and serves one request at a time, so
  // two reads sent together take as long as two in a row: it hides what parallel reads save. In a
  // region, a round trip to DynamoDB is a few milliseconds of network that parallel requests spend
  // together. The second setting adds that network (MODELLED_RTT_MS before each command, every
  // command alike, the baseline's too) so that ratios show round trips as a Lambda meets them.
  const MODELLED_RTT_MS = Number(process.env.MODELLED_RTT_MS ?? 4);
  let rttMs = 0;
  db.middlewareStack.add(
    (next) => async (args) => {
      if (rttMs > 0) await sleep(rttMs);
      return next(args);
    },
    { step: 'initialize', name: 'gatehouseModelledNetwork' },
  );
  const latencyBudgets: Record<string, number> = { 'GET /api/users': 1.3, 'GET /api/api_keys': 1.6 };
  const measure = async (setting: string, rtt: number) => {
    rttMs = rtt;
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(timed).map((k) => [k, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const [name, call] of Object.entries(timed)) {
        const start = performance.now();
        await call();
        samples[name]?.push(performance.now() - start);
      }
    }
    rttMs = 0;
    const floor = percentiles(samples['bare GetItem (baseline)'] ?? []).p50;
    const rows = Object.entries(samples).map(([name, times]) => {
      const { p50, p95 } = percentiles(times);
      const p50Ratio = Number((p50 / floor).toFixed(2));
      const budget = latencyBudgets[name];
      return {
        name,
        p50Ratio,
        p95Ratio: Number((p95 / floor).toFixed(2)),
        ...(budget === undefined ? {} : { budget, ok: p50Ratio <= budget }),
      };
    });
    print(
      `\nLatency ${setting}: ${RUNS} interleaved runs each, as multiples of a bare GetItem's median (${floor.toFixed(2)} ms)`,
    );
    print(`${'request'.padEnd(42)} ${'p50'.padStart(7)} ${'p95'.padStart(7)}  budget (p50)`);
    for (const l of rows) {
      const verdict = l.budget === undefined ? '' : `≤ ${l.budget}×: ${l.ok ? 'met' : 'MISSED'}`;
      print(
        `${l.name.padEnd(42)} ${`${l.p50Ratio.toFixed(2)}×`.padStart(7)} ${`${l.p95Ratio.toFixed(2)}×`.padStart(7)}  ${verdict}`,
      );
    }
    return { setting, rttMs: rtt, baselineMs: Number(floor.toFixed(3)), rows };
  };
  const local = await measure('on DynamoDB Local as it is (information: it serialises requests)', 0);
  const modelled = await measure(
    `with a modelled in-region round trip of ${MODELLED_RTT_MS} ms (the budget)`,
    MODELLED_RTT_MS,
  );
  const latency = modelled.rows;

  const resultsFile = join(ROOT, 'bench', 'results.json');
  let results: Record<string, unknown> = {};
  try {
    results = JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>;
  } catch {}
  results.requestCost = { measuredAt: new Date().toISOString(), rows, budgets, latency: [local, modelled] };
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  if (budgets.some((b) => !b.ok) || latency.some((l) => l.ok === false)) process.exitCode = 1;
} finally {
  await ses.stop();
  await dynamo.stop();
}
