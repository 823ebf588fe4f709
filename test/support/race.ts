// A concurrent change at an exact moment, against the real table: `meanwhile` runs an action once,
// just before the next matching command of the handlers' client reaches DynamoDB Local. The
// action writes through a client of its own (test/support/table.ts), so it is not intercepted.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach } from 'vitest';
import { db, tableName } from '#data/client.ts';
import { keys } from '#data/keys.ts';
import { direct } from './table.ts';

const installed: string[] = [];

afterEach(() => {
  for (const name of installed.splice(0)) db.middlewareStack.remove(name);
});

/**
 * Before the next command named `command` (the low-level name: `TransactWriteItemsCommand`,
 * `UpdateItemCommand`, ...) whose input passes `when`, runs `action` once. Returns whether it ran.
 */
export function meanwhile(
  command: string,
  action: () => Promise<unknown>,
  when: (input: Record<string, unknown>) => boolean = () => true,
): () => boolean {
  let ran = false;
  const name = `meanwhile-${installed.length}-${Math.random().toString(36).slice(2)}`;
  installed.push(name);
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (!ran && context.commandName === command && when(args.input as Record<string, unknown>)) {
        ran = true;
        await action();
      }
      return next(args);
    },
    { name, step: 'initialize' },
  );
  return () => ran;
}

/** Another writer changes the profile: its version moves on, with `set` applied. */
export async function touchProfile(userId: string, set: Record<string, unknown> = {}): Promise<void> {
  const names = Object.keys(set);
  await direct.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.user(userId),
      UpdateExpression: `SET ${['version = version + :one', ...names.map((_, i) => `#n${i} = :v${i}`)].join(', ')}`,
      ExpressionAttributeNames: names.length
        ? Object.fromEntries(names.map((n, i) => [`#n${i}`, n]))
        : undefined,
      ExpressionAttributeValues: {
        ':one': 1,
        ...Object.fromEntries(names.map((n, i) => [`:v${i}`, set[n]])),
      },
    }),
  );
}
