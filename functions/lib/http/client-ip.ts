import type { Context } from 'hono';

type ClientEnv = {
  /** API Gateway (payload 2.0), through the Lambda handler (lambda.ts). */
  event?: { requestContext?: { http?: { sourceIp?: string } } };
  /** @hono/node-server, for the local stack. */
  incoming?: { socket?: { remoteAddress?: string } };
};

/**
 * The caller's IP as API Gateway saw the connection (locally: the socket). Never a header such
 * as X-Forwarded-For: anyone can write those.
 */
export function clientIp(c: Context): string {
  const env = c.env as ClientEnv | undefined;
  return env?.event?.requestContext?.http?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
