// GET /api/api_keys: where the account is logged in. Never key material.
import { handle } from 'hono/aws-lambda';
import { listApiKeys } from '#lib/data/api-keys.ts';
import { createApp } from '#lib/http/app.ts';
import { requireApiKey } from '#lib/http/auth.ts';

const iso = (epochSeconds: number | undefined) =>
  epochSeconds === undefined ? null : new Date(epochSeconds * 1000).toISOString();

export const app = createApp().get('/api/api_keys', requireApiKey, async (c) => {
  const keys = await listApiKeys(c.var.user.userId);
  return c.json({
    data: keys.map((key) => ({
      id: key.keyId,
      created_at: key.createdAt,
      last_used_at: iso(key.lastUsedAt),
      user_agent: key.userAgent ?? null,
      current: key.keyId === c.var.keyId,
    })),
  });
});

export const handler = handle(app);
