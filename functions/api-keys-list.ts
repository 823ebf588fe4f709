// GET /api/api_keys: where the account is logged in. Never key material.
import { handle } from 'hono/aws-lambda';
import { listApiKeys } from '#data/api-keys.ts';
import { createApp } from '#http/app.ts';
import { requireApiKeyWith } from '#http/auth.ts';
import type { EndpointDoc } from '#http/docs.ts';

const iso = (epochSeconds: number | undefined) =>
  epochSeconds === undefined ? null : new Date(epochSeconds * 1000).toISOString();

export const doc: EndpointDoc = {
  get: {
    summary: 'The API keys of the account: where it is logged in',
    description: 'Oldest first, never key material; `current` marks the key this request used.',
    responses: { 200: 'The keys of the account, oldest first' },
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'created_at', 'last_used_at', 'user_agent', 'current'],
        properties: {
          id: { type: 'string', format: 'uuid', description: 'What DELETE /api/api_keys/{id} takes' },
          created_at: { type: 'string', format: 'date-time' },
          last_used_at: {
            type: ['string', 'null'],
            format: 'date-time',
            description: 'Recorded at most once an hour; null before the first recorded use',
          },
          user_agent: {
            type: ['string', 'null'],
            description: 'User-Agent of the request that made the key (first 256 characters)',
          },
          current: { type: 'boolean', description: 'Whether this request used this key' },
        },
      },
    },
  },
};

// The listing is read with the key (one round trip), so the current key's use is this request's.
export const app = createApp().get('/api/api_keys', requireApiKeyWith(listApiKeys), async (c) => {
  return c.json({
    data: c.var.alongside.map((key) => ({
      id: key.keyId,
      created_at: key.createdAt,
      last_used_at: iso(key.keyId === c.var.keyId ? c.var.keyLastUsedAt : key.lastUsedAt),
      user_agent: key.userAgent ?? null,
      current: key.keyId === c.var.keyId,
    })),
  });
});

export const handler = handle(app);
