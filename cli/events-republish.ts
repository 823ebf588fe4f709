// Operator command for lifecycle events the stream gave up on (the `Events/undelivered` alarm: a
// dead letter names the stream positions, whose records are gone by then). The outbox items are
// kept a week: this puts every one written in a time window on the bus again, oldest first, through
// the publisher's own code, so each keeps its event id and sequence number and consumers drop the
// copies they already have. Safe to run twice. Against the table and bus named by TABLE_NAME and
// EVENT_BUS_NAME (the local stack's by default).
//   npm run events:republish -- --since 2026-12-01T09:00:00Z [--until 2026-12-01T12:00:00Z]
import { parseArgs } from 'node:util';
import { useLocalTableByDefault } from '../local/env.ts';

useLocalTableByDefault();

const { outboxBetween } = await import('#data/outbox.ts');
const { publishEvents } = await import('../functions/platform/publisher.ts');

const USAGE = 'Usage: npm run events:republish -- --since ISO_TIME [--until ISO_TIME]';
let since: string;
let until: string;
try {
  const { values } = parseArgs({ options: { since: { type: 'string' }, until: { type: 'string' } } });
  const at = (name: string, raw: string | undefined) => {
    const ms = Date.parse(raw ?? '');
    if (Number.isNaN(ms)) throw new Error(`--${name} is not a time: ${raw}`);
    return new Date(ms).toISOString();
  };
  if (!values.since) throw new Error('--since is required');
  since = at('since', values.since);
  until = values.until ? at('until', values.until) : new Date().toISOString();
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!process.env.EVENT_BUS_NAME) {
  console.error('Set EVENT_BUS_NAME to the stage bus (the stack output EventBusArn names it).');
  process.exit(2);
}
const events = await outboxBetween(since, until);
const failed = await publishEvents(events.map((event) => ({ ref: event.eventId, event })));
if (failed !== undefined) {
  const left = events.length - events.findIndex((e) => e.eventId === failed);
  console.error(
    `${events.length - left} of ${events.length} events put again; the bus refused the rest (see the log above). Run the same command again.`,
  );
  process.exit(1);
}
console.log(`${events.length} events written between ${since} and ${until} put on the bus again.`);
