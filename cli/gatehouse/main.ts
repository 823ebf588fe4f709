// `gatehouse`: the account commands of the seed's CLI (`gigalixir signup`, `login`,
// `account:mfa:activate`, ...) against the Gatehouse API. Data goes to stdout as pretty JSON,
// messages and questions to stderr; exit 0 on success, 1 when the API or a check refuses, 2 on a
// usage error. Credentials live in ~/.netrc (netrc.ts).
import { parseArgs } from 'node:util';
import { Api, DEFAULT_API_URL, VERSION } from './api.ts';
import { type Command, commands } from './commands.ts';
import { CliError, InterruptError, UsageError } from './errors.ts';
import { closePrompts } from './prompt.ts';

const GLOBAL = `Options for every command:
  --api-url <url>   the Gatehouse API (default: $GATEHOUSE_API_URL, then ${DEFAULT_API_URL})
  -h, --help        help for the command
  --version         the CLI's version`;

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: gatehouse <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    GLOBAL,
    '',
    'Run `gatehouse <command> --help` for the options of a command.',
  ].join('\n');
}

function help(command: Command): string {
  const options = Object.entries(command.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(28)}${o.help}`;
  });
  return [
    `Usage: gatehouse ${command.name}${command.positional ? ` [${command.positional.toUpperCase()}]` : ''}${Object.keys(command.options).length ? ' [options]' : ''}`,
    '',
    command.summary,
    ...(command.details ? ['', command.details] : []),
    ...(options.length ? ['', 'Options:', ...options] : []),
    '',
    GLOBAL,
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  // `--api-url <url>` may also come before the command.
  const leading =
    argv[0] === '--api-url' ? argv.slice(0, 2) : argv[0]?.startsWith('--api-url=') ? argv.slice(0, 1) : [];
  const [name, ...after] = argv.slice(leading.length);
  const rest = [...leading, ...after];
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (name === undefined) {
    process.stderr.write(`${overview()}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    // `gatehouse help signup` is `gatehouse signup --help`.
    const about = name === 'help' ? commands.find((c) => c.name === after[0]) : undefined;
    process.stdout.write(`${about ? help(about) : overview()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Unknown command: ${name}. Run \`gatehouse --help\` for the list.\n`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    let positionals: string[];
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: command.positional !== undefined,
      strict: true,
      options: {
        ...Object.fromEntries(
          Object.entries(command.options).map(([k, o]) => [
            k,
            { type: o.type, ...(o.short ? { short: o.short } : {}) },
          ]),
        ),
        'api-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }));
    if (command.positional !== undefined && positionals.length > 0) {
      const flag = command.positional;
      if (positionals.length > 1 || values[flag] !== undefined)
        throw new UsageError(`gatehouse ${name} takes one ${flag}, bare or as --${flag}.`);
      values = { ...values, [flag]: positionals[0] };
    }
  } catch (err) {
    // Never echo a stray argument: it may be half of an unquoted password.
    const message =
      (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
        ? `gatehouse ${name} takes options only (quote values that contain spaces).`
        : (err as Error).message;
    process.stderr.write(`${message}\nRun \`gatehouse ${name} --help\` for its options.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${help(command)}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const api = new Api(
      String(values['api-url'] || process.env.GATEHOUSE_API_URL?.trim() || DEFAULT_API_URL),
    );
    await command.run({ api, flags: values });
    return 0;
  } catch (err) {
    if (err instanceof InterruptError) {
      process.stderr.write(`${err.message}\n`);
      return 130;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    // A bug of ours: one line, never a stack trace (GATEHOUSE_DEBUG=1 shows it).
    process.stderr.write(`Unexpected error: ${(err as Error).message ?? String(err)}\n`);
    if (process.env.GATEHOUSE_DEBUG) console.error(err);
    return 1;
  } finally {
    closePrompts();
  }
}

process.exitCode = await main(process.argv.slice(2));
