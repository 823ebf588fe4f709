// A platform route for `npm start`: `GET /example/whoami`, behind the same authorizer code the
// platform's own API Gateway runs (functions/platform/authorizer.ts), answering the context the
// authorizer handed it, as the example platform stack's route does when deployed (examples/platform).
// A platform developer tries it with `curl -u EMAIL:KEY http://127.0.0.1:3000/example/whoami`.
import type { Hono } from 'hono';
import { AuthenticationError } from '#domain/errors.ts';
import { authorize } from '../functions/platform/authorizer.ts';

export const EXAMPLE_PATH = '/example/whoami';

export function mountExamplePlatform(root: Hono): void {
  root.get(EXAMPLE_PATH, async (c) => {
    // API Gateway hands an authorizer the request's headers with their names in lower case.
    const headers = Object.fromEntries(
      [...c.req.raw.headers].map(([name, value]) => [name.toLowerCase(), value]),
    );
    const answer = await authorize({ type: 'REQUEST', routeArn: `local/GET${EXAMPLE_PATH}`, headers });
    // Deployed, API Gateway answers a refusal itself: 401 without the header, 403 with a refused
    // one (docs/integration.md). Locally both are the API's own 401, with its challenge.
    if (!answer.isAuthorized) throw new AuthenticationError();
    return c.json({ data: answer.context });
  });
}
