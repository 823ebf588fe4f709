// Operator command for promo codes, against the table named by TABLE_NAME (and the endpoint in
// AWS_ENDPOINT_URL_DYNAMODB, if any): the local stack's by default.
//   npm run promo -- create CODE --credit-cents 500 --uses 100
//   npm run promo -- list
import { parseArgs } from 'node:util';
import { useLocalTableByDefault } from '../local/env.ts';

useLocalTableByDefault();

const { createPromo, listPromos } = await import('#data/promos.ts');
const { normalizePromoCode } = await import('#domain/signup.ts');

const usage = 'Usage: npm run promo -- create CODE --credit-cents N --uses N | npm run promo -- list';
function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { 'credit-cents': { type: 'string' }, uses: { type: 'string' } },
    });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n${usage}`);
    process.exit(2);
  }
}
const { positionals, values } = parse();
const [command, rawCode] = positionals;

const wholeNumber = (name: string, raw: string | undefined, min: number): number => {
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number of at least ${min}`);
    process.exit(2);
  }
  return n;
};

if (command === 'create') {
  const code = normalizePromoCode(rawCode ?? '');
  if (!code) {
    console.error('CODE must be 3 to 32 letters, digits, - or _');
    process.exit(2);
  }
  const creditCents = wholeNumber('credit-cents', values['credit-cents'], 1);
  const uses = wholeNumber('uses', values.uses, 1);
  const created = await createPromo({
    code,
    creditCents,
    remainingUses: uses,
    createdAt: new Date().toISOString(),
  });
  if (!created) {
    console.error(`Promo ${code} exists already`);
    process.exit(1);
  }
  console.log(`Created promo ${code}: ${creditCents} cents of credit, ${uses} use(s)`);
} else if (command === 'list') {
  const promos = await listPromos();
  if (promos.length === 0) console.log('No promo codes');
  for (const p of promos)
    console.log(`${p.code}\t${p.creditCents} cents\t${p.remainingUses} use(s) left\tsince ${p.createdAt}`);
} else {
  console.error(usage);
  process.exit(2);
}
