import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { failureFloor } from '#http/timing.ts';

const FLOOR_MS = 400;
const app = new Hono()
  .get('/ok', failureFloor(FLOOR_MS), (c) => c.text('ok'))
  .get('/thrown', failureFloor(FLOOR_MS), () => {
    throw new HTTPException(401);
  })
  .get('/answered', failureFloor(FLOOR_MS), (c) => c.text('no', 429));

async function timed(path: string) {
  const start = performance.now();
  const res = await app.request(path);
  return { status: res.status, ms: performance.now() - start };
}

describe('failureFloor', () => {
  it('holds a thrown error and an error answer until the floor', async () => {
    for (const path of ['/thrown', '/answered']) {
      const { status, ms } = await timed(path);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(ms).toBeGreaterThanOrEqual(FLOOR_MS - 1);
    }
  });

  it('lets a success leave at once', async () => {
    const { status, ms } = await timed('/ok');
    expect(status).toBe(200);
    expect(ms).toBeLessThan(FLOOR_MS);
  });
});
