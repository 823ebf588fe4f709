// Local stand-ins for outside services (Google, Stripe), one per test file: started before its
// tests, the handlers pointed at it through the environment (read at their first use), stopped after.
import { afterAll, beforeAll } from 'vitest';

export interface StandIn {
  readonly environment: Record<string, string>;
  stop(): Promise<void>;
}

export function useStandIn<T extends StandIn>(start: () => Promise<T>): () => T {
  let running: T | undefined;
  beforeAll(async () => {
    running = await start();
    Object.assign(process.env, running.environment);
  });
  afterAll(() => running?.stop());
  return () => {
    if (!running) throw new Error('the stand-in is not started');
    return running;
  };
}
