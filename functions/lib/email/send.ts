import type { SESClient } from '@aws-sdk/client-ses';
import { config } from '#shared/config.ts';
import { lazily } from '#shared/lazy.ts';
import type { Message } from './templates.ts';

type Ses = typeof import('./send.sdk.ts');

// The SES client (about 40 KB with its XML protocol) is loaded on the first mail, not at cold start:
// a deployed function builds it as a chunk of its own (infra/lambda.ts), so the many that import
// this file and rarely mail (login, the password and key routes) never parse it at init.
// `preloadMail()` starts that load while a caller waits on something else (the mail rate's write).
const loadSes: () => Promise<Ses> = lazily(() => import('./send.sdk.ts'));

/** Starts loading the mail client where a mail is about to be sent; sending waits for it anyway. */
export function preloadMail(): void {
  loadSes().catch(() => {});
}

// One client per container, made on the first mail. The SDK's standard retry mode already retries
// throttling with backoff; callers decide what a final failure means for their request.
let ses: SESClient | undefined;

export async function sendMail(to: string, message: Message): Promise<void> {
  const { SESClient, SendEmailCommand } = await loadSes();
  ses ??= new SESClient({});
  await ses.send(
    new SendEmailCommand({
      Source: config().mailFrom,
      Destination: { ToAddresses: [to] },
      Message: {
        Subject: { Data: message.subject, Charset: 'UTF-8' },
        Body: {
          Text: { Data: message.text, Charset: 'UTF-8' },
          Html: { Data: message.html, Charset: 'UTF-8' },
        },
      },
    }),
  );
}
