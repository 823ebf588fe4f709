// Monthly cost at 10k, 100k and 1M monthly active users, from the DynamoDB units measured by
// bench/request-cost.ts (bench/results.json, same run) and list prices; beside it what Cognito and
// Clerk list for the same users. Budget: ≤ $12 a month at 100k MAU with 30 calls each (issue 19).
// docs/cost.md explains the model and where each price comes from.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench/results.json');

/** us-east-1 list prices, checked 2026-11-29 (sources in docs/cost.md). */
export const PRICES = {
  apiPerMillion: 1.0, // HTTP API, first 300M requests
  lambdaPerMillion: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoWritePerMillion: 0.625, // on-demand write request units
  dynamoReadPerMillion: 0.125, // on-demand read request units
  dynamoStoragePerGbMonth: 0.25,
  pitrPerGbMonth: 0.2,
  sesPerThousand: 0.1,
  // Every log group an API request writes to is in the Infrequent Access class.
  logsIaIngestPerGb: 0.25,
  logsIaStoragePerGbMonth: 0.05,
  alarmPerMonth: 0.1,
  secretPerMonth: 0.4,
  stepTransitionsPerThousand: 0.025,
} as const;

/**
 * One active user's month: 30 calls of the CLI's usual life, plus the signups of the newcomers
 * and the odd reset. Steps are rows of the request-cost benchmark.
 */
export const MONTH: { step: string; perUser: number; hashes?: true; floorMs?: number; mails?: number }[] = [
  { step: 'login', perUser: 1, hashes: true },
  { step: 'account (first use of the key this hour)', perUser: 6 },
  { step: 'account', perUser: 19.9 },
  { step: 'api keys list', perUser: 1 },
  { step: 'payment method (none)', perUser: 1 },
  { step: 'logout', perUser: 1 },
  { step: 'password change', perUser: 0.1, hashes: true, mails: 1 },
  // One user in ten is new this month; one in fifty asks for a reset.
  { step: 'signup (direct)', perUser: 0.1, hashes: true, floorMs: 300, mails: 1 },
  { step: 'confirm email', perUser: 0.1 },
  { step: 'reset request', perUser: 0.02, floorMs: 300, mails: 1 },
];
/** Mails per active user: the newcomers' confirmations, password-change notices, resets. */
const MAILS_PER_USER = MONTH.reduce((sum, item) => sum + item.perUser * (item.mails ?? 0), 0);

/**
 * Not measured on Lambda (no AWS account here), each with its reason. Billed time per call is
 * built from what the bench measured for it: its sequential DynamoDB round trips (~10 ms each in
 * a region, as this model has always taken them), our code's own time (measured below, scaled to
 * the function's share of a vCPU), the runtime's own per-invocation work, and argon2id on a
 * hashing call (22.5 ms on one core in bench/passwords.ts; 30 ms at 1,769 MB, one vCPU). Floors
 * hold the function for 300 ms.
 */
const ASSUMED = {
  runtimeMs: 2,
  roundTripMs: 10,
  hashMs: 30,
  plainMb: 512,
  hashingMb: 1769,
  coldStartShare: 0.05,
  coldStartMs: 250,
  // Log bytes per call: the API's access log line (infra/api.ts's format, filled with typical
  // values) and Lambda's START/END/REPORT lines, below; our own lines are measured per request.
  // CloudWatch counts 26 bytes of metadata for every event on top of its text.
  logEventOverheadBytes: 26,
  bytesPerAccount: 3000, // profile, key, lookups, a few audit events
  accountsPerActiveUser: 3, // dormant and unconfirmed accounts stay stored
  deletionsPerActiveUser: 0.005,
  transitionsPerDeletion: 12,
  secrets: 3, // MFA key, Stripe's (secret key and webhook secret, one secret), Google client secret
  // Metrics billed: 5xx, the throttles expression (3 functions), the verifiers' errors (2),
  // failed deletions, cleanup errors, undelivered lifecycle events.
  alarms: 9,
};

/** What every call logs besides our own lines, as it reaches CloudWatch (typical values). */
const REQUEST_ID = '0f5e3c1a-7b2d-4e8f-9a6b-1c2d3e4f5a6b';
export const FIXED_LOG_EVENTS = [
  JSON.stringify({
    requestId: 'Qx3bTh2yoAMEb1Q=',
    ip: '2001:db8:5:1::1',
    time: '01/Dec/2026:10:15:30 +0000',
    route: 'GET /api/users',
    status: '200',
    bytes: '412',
    latencyMs: '14',
    error: '-',
  }),
  `START RequestId: ${REQUEST_ID} Version: $LATEST`,
  `END RequestId: ${REQUEST_ID}`,
  `REPORT RequestId: ${REQUEST_ID}\tDuration: 14.21 ms\tBilled Duration: 15 ms\tMemory Size: 512 MB\tMax Memory Used: 96 MB\t`,
];
const eventBytes = (lines: readonly string[]) =>
  lines.reduce((sum, line) => sum + Buffer.byteLength(line) + ASSUMED.logEventOverheadBytes, 0);
/** The access log line and START, END and REPORT: every call's, whatever it logs itself. */
const FIXED_LOG_BYTES = eventBytes(FIXED_LOG_EVENTS);

interface Row {
  step: string;
  cost: {
    calls: number;
    trips: number;
    readUnits: number;
    writeUnits: number;
    logBytes: number;
    logLines: number;
  };
}

const readResults = () => JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;

/** Lambda gives one vCPU at 1,769 MB, and CPU in proportion below it. */
const vcpuShare = (mb: number) => Math.min(1, mb / 1769);

/** The row of bench/request-cost.ts's latency that times GET /api/users' own read, sent bare. */
export const BARE_USERS_READ = "bare BatchGetItem (GET /api/users' read)";

/**
 * Our code's own time per request on this machine: GET /api/users against DynamoDB Local, less the
 * very BatchGetItem it sends, sent bare (bench/request-cost.ts, same run). The difference is Hono,
 * the key check, JSON and the SDK's signing: what a CPU does, not what the network waits (a round
 * trip's wait in a region is counted apart).
 */
export function measuredHandlerMs(results: Record<string, unknown>): number {
  const settings = (results.requestCost as { latency?: unknown } | undefined)?.latency;
  const local = Array.isArray(settings)
    ? (settings[0] as { baselineMs: number; rows: { name: string; p50Ratio: number }[] })
    : undefined;
  const users = local?.rows.find((r) => r.name === 'GET /api/users');
  const bare = local?.rows.find((r) => r.name === BARE_USERS_READ);
  if (!local || !users || !bare)
    throw new Error('bench/results.json has no local latency: run bench/request-cost.ts');
  return Math.max(0, (users.p50Ratio - bare.p50Ratio) * local.baselineMs);
}

export function gatehouseMonthly(mau: number, rows: Row[], handlerMs: number, durationFactor = 1) {
  const byStep = new Map(rows.map((r) => [r.step, r.cost]));
  let calls = 0;
  let reads = 0;
  let writes = 0;
  let gbSeconds = 0;
  let logBytes = 0;
  for (const item of MONTH) {
    const cost = byStep.get(item.step);
    if (!cost)
      throw new Error(`bench/results.json has no request-cost row "${item.step}": run bench/request-cost.ts`);
    const n = item.perUser * mau;
    calls += n;
    reads += n * cost.readUnits;
    writes += n * cost.writeUnits;
    const mb = item.hashes ? ASSUMED.hashingMb : ASSUMED.plainMb;
    const busyMs =
      ASSUMED.runtimeMs +
      handlerMs / vcpuShare(mb) +
      cost.trips * ASSUMED.roundTripMs +
      (item.hashes ? ASSUMED.hashMs : 0);
    const ms = Math.max(busyMs, item.floorMs ?? 0) * durationFactor;
    gbSeconds += (n * ms * mb) / 1024 / 1000;
    logBytes += n * (FIXED_LOG_BYTES + cost.logBytes + cost.logLines * ASSUMED.logEventOverheadBytes);
  }
  gbSeconds += (calls * ASSUMED.coldStartShare * ASSUMED.coldStartMs * ASSUMED.plainMb) / 1024 / 1000;
  const storedGb = (mau * ASSUMED.accountsPerActiveUser * ASSUMED.bytesPerAccount) / 1e9;
  const lines = {
    'API Gateway': (calls / 1e6) * PRICES.apiPerMillion,
    'Lambda requests': (calls / 1e6) * PRICES.lambdaPerMillion,
    'Lambda compute': gbSeconds * PRICES.lambdaArmPerGbSecond,
    'DynamoDB requests':
      (reads / 1e6) * PRICES.dynamoReadPerMillion + (writes / 1e6) * PRICES.dynamoWritePerMillion,
    'DynamoDB storage + PITR': storedGb * (PRICES.dynamoStoragePerGbMonth + PRICES.pitrPerGbMonth),
    SES: ((mau * MAILS_PER_USER) / 1000) * PRICES.sesPerThousand,
    // Every group is in the Infrequent Access class (infra/api.ts, infra/lambda.ts).
    'CloudWatch Logs': (logBytes / 1e9) * (PRICES.logsIaIngestPerGb + PRICES.logsIaStoragePerGbMonth),
    'Step Functions':
      ((mau * ASSUMED.deletionsPerActiveUser * ASSUMED.transitionsPerDeletion) / 1000) *
      PRICES.stepTransitionsPerThousand,
    'Secrets Manager + alarms':
      ASSUMED.secrets * PRICES.secretPerMonth + ASSUMED.alarms * PRICES.alarmPerMonth,
  };
  const total = Object.values(lines).reduce((a, b) => a + b, 0);
  return {
    calls,
    reads,
    writes,
    gbSeconds,
    logBytesPerCall: logBytes / calls,
    lines,
    total,
  };
}

/** Tiered per-user price: `bands` as [up to this many users, price per user in the band]. */
function tiered(users: number, bands: [number, number][]): number {
  let cost = 0;
  let from = 0;
  for (const [upTo, price] of bands) {
    if (users <= from) break;
    cost += (Math.min(users, upTo) - from) * price;
    from = upTo;
  }
  return cost;
}

export const competitors = {
  'Cognito Lite': (mau: number) =>
    tiered(mau, [
      [10_000, 0],
      [100_000, 0.0055],
      [1_000_000, 0.0046],
      [Number.POSITIVE_INFINITY, 0.00325],
    ]),
  'Cognito Essentials': (mau: number) =>
    tiered(mau, [
      [10_000, 0],
      [Number.POSITIVE_INFINITY, 0.015],
    ]),
  'Clerk Pro': (mau: number) =>
    25 +
    tiered(mau, [
      [50_000, 0],
      [100_000, 0.02],
      [1_000_000, 0.018],
      [Number.POSITIVE_INFINITY, 0.014],
    ]),
};

const usd = (n: number) => (n < 10 ? `$${n.toFixed(2)}` : `$${Math.round(n).toLocaleString('en-US')}`);

if (process.argv[1] === import.meta.filename) {
  const results = readResults();
  const rows = (results.requestCost as { rows: Row[] } | undefined)?.rows;
  if (!rows) throw new Error('bench/results.json has no requestCost: run bench/request-cost.ts first');
  const handlerMs = measuredHandlerMs(results);
  const sizes = [10_000, 100_000, 1_000_000];
  const table = sizes.map((mau) => {
    const ours = gatehouseMonthly(mau, rows, handlerMs);
    return {
      mau,
      gatehouse: Number(ours.total.toFixed(2)),
      gatehouseAtTwiceTheDuration: Number(gatehouseMonthly(mau, rows, handlerMs, 2).total.toFixed(2)),
      lines: Object.fromEntries(Object.entries(ours.lines).map(([k, v]) => [k, Number(v.toFixed(2))])),
      ...Object.fromEntries(
        Object.entries(competitors).map(([name, f]) => [name, Number(f(mau).toFixed(2))]),
      ),
    };
  });
  console.log('\nMonthly cost, 30 calls per active user (us-east-1 list prices)');
  console.log(
    ['MAU', 'Gatehouse', '(2× Lambda time)', ...Object.keys(competitors)].map((h) => h.padStart(20)).join(''),
  );
  for (const row of table) {
    const cells = [
      row.mau.toLocaleString('en-US'),
      usd(row.gatehouse),
      usd(row.gatehouseAtTwiceTheDuration),
      ...Object.keys(competitors).map((k) => usd(row[k as keyof typeof row] as number)),
    ];
    console.log(cells.map((c) => c.padStart(20)).join(''));
  }
  const at100k = table[1];
  if (!at100k) throw new Error('no 100k row');
  console.log(
    `\nAt 100k MAU, by line: ${Object.entries(at100k.lines)
      .map(([k, v]) => `${k} ${usd(v)}`)
      .join(', ')}`,
  );
  const budget = 12;
  const ratio = at100k.gatehouse / budget;
  console.log(
    `Budget ≤ $${budget}/month at 100k MAU: ${usd(at100k.gatehouse)} = ${ratio.toFixed(2)}× the budget: ${ratio <= 1 ? 'met' : 'NOT met'} (with twice the assumed Lambda time: ${(at100k.gatehouseAtTwiceTheDuration / budget).toFixed(2)}×)`,
  );
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        ...results,
        cost: {
          measuredAt: new Date().toISOString(),
          prices: PRICES,
          assumed: ASSUMED,
          measured: { handlerMs: Number(handlerMs.toFixed(3)), fixedLogBytesPerCall: FIXED_LOG_BYTES },
          table,
          budget: { usd: budget, ratio: Number(ratio.toFixed(2)), ok: ratio <= 1 },
        },
      },
      null,
      2,
    )}\n`,
  );
}
