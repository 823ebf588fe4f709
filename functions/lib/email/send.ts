import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { config } from '#shared/config.ts';
import type { Message } from './templates.ts';

// One client per container, made on the first mail: made at module scope, it would be a side
// effect of importing this file, which keeps the whole SES client in the bundle of every function
// that imports it only through a shared service and never mails (oauth-google-start, 40 KB;
// bench/cold-start.ts). The SDK's standard retry mode already retries throttling with backoff;
// callers decide what a final failure means for their request.
let ses: SESClient | undefined;

export async function sendMail(to: string, message: Message): Promise<void> {
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
