import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { config } from '#shared/config.ts';
import type { Message } from './templates.ts';

// Module scope: one client per container. The SDK's standard retry mode already retries
// throttling with backoff; callers decide what a final failure means for their request.
const ses = new SESClient({});

export async function sendMail(to: string, message: Message): Promise<void> {
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
