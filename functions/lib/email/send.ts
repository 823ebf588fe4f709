import type { SESClient } from '@aws-sdk/client-ses';
import { config } from '#shared/config.ts';
import { lazily } from '#shared/lazy.ts';
import type { Mail } from './compose.ts';

type Ses = typeof import('./send.sdk.ts') & typeof import('./compose.ts');

// The SES client (about 40 KB with its XML protocol) and the templates (compose.ts) are loaded on
// the first mail, not at cold start: a deployed function builds them as chunks of their own
// (infra/build.ts), so the many that import this file and rarely mail (login, the password and key
// routes) never parse them at init.
// `preloadMail()` starts that load while a caller waits on something else (the mail rate's write).
const loadSes: () => Promise<Ses> = lazily(async () => {
  const [sdk, templates] = await Promise.all([import('./send.sdk.ts'), import('./compose.ts')]);
  return { ...sdk, ...templates };
});

/** Starts loading the mail client where a mail is about to be sent; sending waits for it anyway. */
export function preloadMail(): void {
  loadSes().catch(() => {});
}

// One client per container, made on the first mail. The SDK's standard retry mode already retries
// throttling with backoff; callers decide what a final failure means for their request.
let ses: SESClient | undefined;

export async function sendMail(to: string, mail: Mail): Promise<void> {
  const { SESClient, SendEmailCommand, compose } = await loadSes();
  const message = compose(mail);
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
