// The table's items as plain objects: each DynamoDB operation the data layer sends, with its items,
// keys and values turned into the wire format ({ S: "..." }, { N: "..." }, ...) and back.
//
// Ours rather than @aws-sdk/lib-dynamodb and @aws-sdk/util-dynamodb: those two are 13 KB of every
// function's cold start (bench/cold-start.ts puts a KB at start near 0.2% of the import), for
// paginators, legacy parameters and kinds of value the table never holds. This holds what it does
// (strings, numbers, booleans, null, lists, maps, string and number sets, binary) the way
// util-dynamodb does with `removeUndefinedValues`, and test/unit/data/document.test.ts holds the two
// to the same answers. Each operation is a function of its own, so that a build holds only the
// commands its code sends (test/infra/access.test.ts grants a function what its build holds).
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandInput,
  type BatchWriteItemCommandOutput,
  type ConditionCheck,
  type Delete,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  type DeleteItemCommandOutput,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  type GetItemCommandOutput,
  type KeysAndAttributes,
  type Put,
  PutItemCommand,
  type PutItemCommandInput,
  type PutItemCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
  type TransactWriteItemsCommandOutput,
  type Update,
  UpdateItemCommand,
  type UpdateItemCommandInput,
  type UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';

// Module scope: one client per container, reused across requests (keep-alive connections).
export const db = new DynamoDBClient({});

/**
 * An attribute's value as the data layer reads it: `any`, as lib-dynamodb types it, since each
 * module reads the fields of its own items by name and converts them (Number(...), String(...)).
 */
// biome-ignore lint/suspicious/noExplicitAny: the wire format says which kind a value is, not the type
export type NativeValue = any;
export type Item = Record<string, NativeValue>;

const isBinary = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

const numberText = (n: number): string => {
  if (!Number.isFinite(n)) throw new TypeError(`DynamoDB holds no ${n}`);
  // Beyond this a number has lost digits already: refused, as util-dynamodb refuses it.
  if (n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER)
    throw new RangeError(`${n} is beyond Number.MAX_SAFE_INTEGER: pass a bigint`);
  return String(n);
};

const setAttr = (set: Set<unknown>): AttributeValue => {
  const values = [...set].filter((v) => v !== undefined);
  const first = values[0];
  if (first === undefined) throw new TypeError('DynamoDB holds no empty set');
  if (values.every((v) => typeof v === 'string')) return { SS: values as string[] };
  if (values.every((v) => typeof v === 'number' || typeof v === 'bigint'))
    return { NS: values.map((v) => (typeof v === 'number' ? numberText(v) : String(v))) };
  if (values.every(isBinary)) return { BS: values };
  throw new TypeError('A set holds strings, numbers or binary, one kind only');
};

/** One value in the wire format; undefined has none (a map or list leaves it out). */
export function toAttr(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      return { N: numberText(value) };
    case 'bigint':
      return { N: value.toString() };
    case 'boolean':
      return { BOOL: value };
    case 'object': {
      if (Array.isArray(value))
        return { L: value.filter((v) => v !== undefined && typeof v !== 'function').map(toAttr) };
      if (value instanceof Set) return setAttr(value);
      if (isBinary(value)) return { B: value };
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) return { M: toItem(value as Item) };
    }
  }
  throw new TypeError(`DynamoDB holds no ${Object.prototype.toString.call(value)}`);
}

/** A map of values (an item, a key, expression values) in the wire format. */
export function toItem(item: Item): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const key in item) {
    const value = item[key];
    if (value !== undefined && typeof value !== 'function') out[key] = toAttr(value);
  }
  return out;
}

const toNumber = (text: string): number | bigint => {
  const n = Number(text);
  if (Number.isFinite(n) && (n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER)) return BigInt(text);
  return n;
};

/** One value from the wire format: a string set is a Set, a number a number (a bigint when beyond safe). */
export function fromAttr(attr: AttributeValue): NativeValue {
  if (attr.S !== undefined) return attr.S;
  if (attr.N !== undefined) return toNumber(attr.N);
  if (attr.BOOL !== undefined) return attr.BOOL;
  if (attr.NULL !== undefined) return null;
  if (attr.M !== undefined) return fromItem(attr.M);
  if (attr.L !== undefined) return attr.L.map(fromAttr);
  if (attr.SS !== undefined) return new Set(attr.SS);
  if (attr.NS !== undefined) return new Set(attr.NS.map(toNumber));
  if (attr.B !== undefined) return attr.B;
  if (attr.BS !== undefined) return new Set(attr.BS);
  throw new TypeError(`No value in ${JSON.stringify(attr)}`);
}

export function fromItem(item: Record<string, AttributeValue>): Item {
  const out: Item = {};
  for (const key in item) out[key] = fromAttr(item[key] as AttributeValue);
  return out;
}

const maybeItem = (item: Record<string, AttributeValue> | undefined) => item && fromItem(item);
const maybeWire = (item: Item | undefined) => item && toItem(item);

type Values = { ExpressionAttributeValues?: Item };
type Native<T, K extends keyof T> = Omit<T, K | 'ExpressionAttributeValues'> & { [P in K]: Item } & Values;

export type GetInput = Omit<GetItemCommandInput, 'Key'> & { Key: Item };
export type PutInput = Native<PutItemCommandInput, 'Item'>;
export type UpdateInput = Native<UpdateItemCommandInput, 'Key'>;
export type DeleteInput = Native<DeleteItemCommandInput, 'Key'>;
export type QueryInput = Omit<QueryCommandInput, 'ExclusiveStartKey' | 'ExpressionAttributeValues'> & {
  ExclusiveStartKey?: Item;
} & Values;
export type ScanInput = Omit<ScanCommandInput, 'ExclusiveStartKey' | 'ExpressionAttributeValues'> & {
  ExclusiveStartKey?: Item;
} & Values;
/** One item of a TransactWriteItems, in plain values. */
export interface TransactItem {
  ConditionCheck?: Native<ConditionCheck, 'Key'>;
  Put?: Native<Put, 'Item'>;
  Delete?: Native<Delete, 'Key'>;
  Update?: Native<Update, 'Key'>;
}
export type TransactWriteInput = Omit<TransactWriteItemsCommandInput, 'TransactItems'> & {
  TransactItems: TransactItem[];
};
export type BatchGetInput = Omit<BatchGetItemCommandInput, 'RequestItems'> & {
  RequestItems: Record<string, Omit<KeysAndAttributes, 'Keys'> & { Keys: Item[] }>;
};
/** A request of a BatchWriteItem, in plain values: a put or a delete, no condition. */
export type WriteRequest =
  | { readonly PutRequest: { readonly Item: Item } }
  | { readonly DeleteRequest: { readonly Key: Item } };
export type BatchWriteInput = Omit<BatchWriteItemCommandInput, 'RequestItems'> & {
  RequestItems: Record<string, WriteRequest[]>;
};

/** Expression values and the item or key named, in the wire format; the rest of the input as it is. */
function wire<T extends Values & { Key?: Item; Item?: Item; ExclusiveStartKey?: Item }>(input: T) {
  return {
    ...input,
    Key: maybeWire(input.Key),
    Item: maybeWire(input.Item),
    ExclusiveStartKey: maybeWire(input.ExclusiveStartKey),
    ExpressionAttributeValues: maybeWire(input.ExpressionAttributeValues),
  };
}

type WithItem<O, K extends keyof O> = Omit<O, K> & { [P in K]?: Item };

export async function getItem(input: GetInput): Promise<WithItem<GetItemCommandOutput, 'Item'>> {
  const out = await db.send(new GetItemCommand({ ...input, Key: toItem(input.Key) }));
  return { ...out, Item: maybeItem(out.Item) };
}

export async function putItem(input: PutInput): Promise<WithItem<PutItemCommandOutput, 'Attributes'>> {
  const out = await db.send(new PutItemCommand(wire(input) as PutItemCommandInput));
  return { ...out, Attributes: maybeItem(out.Attributes) };
}

export async function updateItem(
  input: UpdateInput,
): Promise<WithItem<UpdateItemCommandOutput, 'Attributes'>> {
  const out = await db.send(new UpdateItemCommand(wire(input) as UpdateItemCommandInput));
  return { ...out, Attributes: maybeItem(out.Attributes) };
}

export async function deleteItem(
  input: DeleteInput,
): Promise<WithItem<DeleteItemCommandOutput, 'Attributes'>> {
  const out = await db.send(new DeleteItemCommand(wire(input) as DeleteItemCommandInput));
  return { ...out, Attributes: maybeItem(out.Attributes) };
}

type Page<O> = Omit<O, 'Items' | 'LastEvaluatedKey'> & { Items?: Item[]; LastEvaluatedKey?: Item };

export async function queryItems(input: QueryInput): Promise<Page<QueryCommandOutput>> {
  const out = await db.send(new QueryCommand(wire(input)));
  return { ...out, Items: out.Items?.map(fromItem), LastEvaluatedKey: maybeItem(out.LastEvaluatedKey) };
}

export async function scanItems(input: ScanInput): Promise<Page<ScanCommandOutput>> {
  const out = await db.send(new ScanCommand(wire(input)));
  return { ...out, Items: out.Items?.map(fromItem), LastEvaluatedKey: maybeItem(out.LastEvaluatedKey) };
}

export function transactWriteItems(input: TransactWriteInput): Promise<TransactWriteItemsCommandOutput> {
  const TransactItems = input.TransactItems.map(({ ConditionCheck, Put, Delete, Update }) => ({
    ConditionCheck: ConditionCheck && wire(ConditionCheck),
    Put: Put && wire(Put),
    Delete: Delete && wire(Delete),
    Update: Update && wire(Update),
  })) as TransactWriteItemsCommandInput['TransactItems'];
  return db.send(new TransactWriteItemsCommand({ ...input, TransactItems }));
}

const mapValues = <A, B>(
  record: Record<string, A> | undefined,
  f: (a: A) => B,
): Record<string, B> | undefined =>
  record && Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));

export async function batchGetItems(input: BatchGetInput): Promise<
  Omit<BatchGetItemCommandOutput, 'Responses' | 'UnprocessedKeys'> & {
    Responses?: Record<string, Item[]>;
    UnprocessedKeys?: Record<string, { Keys?: Item[] }>;
  }
> {
  const RequestItems = mapValues(input.RequestItems, (r) => ({ ...r, Keys: r.Keys.map(toItem) }));
  const out = await db.send(new BatchGetItemCommand({ ...input, RequestItems }));
  return {
    ...out,
    Responses: mapValues(out.Responses, (items) => items.map(fromItem)),
    UnprocessedKeys: mapValues(out.UnprocessedKeys, (r) => ({ ...r, Keys: r.Keys?.map(fromItem) })),
  };
}

const wireRequest = (r: WriteRequest) =>
  'PutRequest' in r
    ? { PutRequest: { Item: toItem(r.PutRequest.Item) } }
    : { DeleteRequest: { Key: toItem(r.DeleteRequest.Key) } };

export async function batchWriteItems(input: BatchWriteInput): Promise<
  Omit<BatchWriteItemCommandOutput, 'UnprocessedItems'> & {
    UnprocessedItems?: Record<string, WriteRequest[]>;
  }
> {
  const RequestItems = mapValues(input.RequestItems, (rs) => rs.map(wireRequest));
  const out = await db.send(
    new BatchWriteItemCommand({ ...input, RequestItems } as BatchWriteItemCommandInput),
  );
  return {
    ...out,
    UnprocessedItems: mapValues(out.UnprocessedItems, (rs) =>
      rs.map(
        (r): WriteRequest =>
          r.PutRequest?.Item
            ? { PutRequest: { Item: fromItem(r.PutRequest.Item) } }
            : { DeleteRequest: { Key: fromItem(r.DeleteRequest?.Key ?? {}) } },
      ),
    ),
  };
}
