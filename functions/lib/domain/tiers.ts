// The one place that knows the tiers and what each allows (the contract's `limits`). FREE is the
// default; STANDARD is pay as you go and needs a payment method (or a promo's credit).
export const TIERS = ['FREE', 'STANDARD'] as const;
export type Tier = (typeof TIERS)[number];

export const isTier = (value: unknown): value is Tier =>
  typeof value === 'string' && (TIERS as readonly string[]).includes(value);

export interface Limits {
  /** Number of app instances; null = no limit. */
  readonly instances: number | null;
  /** Memory per instance in GB. */
  readonly instance_memory_gb: number | null;
  readonly databases: number | null;
  /** Rows per PostgreSQL database. */
  readonly database_rows: number | null;
}

export const TIER_LIMITS: Record<Tier, Limits> = {
  FREE: { instances: 1, instance_memory_gb: 0.2, databases: 1, database_rows: 10_000 },
  STANDARD: { instances: null, instance_memory_gb: null, databases: null, database_rows: null },
};
