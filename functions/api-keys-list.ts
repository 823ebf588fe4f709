// GET /api/api_keys: where the account is logged in, and the keys made for machines. Never key
// material.
import { listApiKeys } from '#data/api-keys.ts';
import { hasExpired } from '#domain/api-keys.ts';
import { createApp } from '#http/app.ts';
import { requireApiKeyWith } from '#http/auth.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';

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
        required: [
          'id',
          'name',
          'scope',
          'created_at',
          'expires_at',
          'expired',
          'last_used_at',
          'ip',
          'user_agent',
          'last_ip',
          'last_user_agent',
          'current',
        ],
        properties: {
          id: { type: 'string', format: 'uuid', description: 'What DELETE /api/api_keys/{id} takes' },
          name: {
            type: ['string', 'null'],
            description:
              'Given when the key was created for a machine (POST /api/api_keys); `Web console` for a console session; null for a login’s key',
          },
          scope: { type: 'string', enum: ['full', 'read'], description: '`read`: GET requests only' },
          created_at: { type: 'string', format: 'date-time' },
          expires_at: { type: ['string', 'null'], format: 'date-time', description: 'null: never' },
          expired: { type: 'boolean', description: 'Whether the key has expired (it answers 401)' },
          last_used_at: {
            type: ['string', 'null'],
            format: 'date-time',
            description: 'Recorded at most once an hour; null before the first recorded use',
          },
          ip: { type: ['string', 'null'], description: 'Source address of the request that made the key' },
          user_agent: {
            type: ['string', 'null'],
            description: 'User-Agent of the request that made the key (first 256 characters)',
          },
          last_ip: {
            type: ['string', 'null'],
            description: 'Source address of the last recorded use (recorded with last_used_at)',
          },
          last_user_agent: {
            type: ['string', 'null'],
            description: 'User-Agent of the last recorded use (first 256 characters)',
          },
          current: { type: 'boolean', description: 'Whether this request used this key' },
        },
      },
    },
  },
};

// The listing is read with the key (one round trip), so the current key's use is this request's.
export const app = createApp().get('/api/api_keys', requireApiKeyWith(listApiKeys), async (c) => {
  const now = requestNow(c);
  return c.json({
    data: c.var.alongside.map((key) => {
      const current = key.keyId === c.var.keyId;
      // This request's own use may have been recorded by this request, after the listing was read.
      const lastUsedAt = current ? c.var.keyLastUsedAt : key.lastUsedAt;
      const recordedNow = current && c.var.keyLastUsedAt !== c.var.keyRecord.lastUsedAt;
      const lastOrigin = recordedNow ? requestOrigin(c) : { ip: key.lastIp, userAgent: key.lastUserAgent };
      return {
        id: key.keyId,
        name: key.name ?? null,
        scope: key.scope,
        created_at: key.createdAt,
        expires_at: iso(key.expiresAt),
        expired: hasExpired(key.expiresAt, now),
        last_used_at: iso(lastUsedAt),
        ip: key.ip ?? null,
        user_agent: key.userAgent ?? null,
        last_ip: lastOrigin.ip ?? null,
        last_user_agent: lastOrigin.userAgent ?? null,
        current,
      };
    }),
  });
});

export const handler = handle(app);
