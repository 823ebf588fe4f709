// Reads mail from the local SES store, as a user reads their inbox.
import { inject } from 'vitest';

export interface StoredMail {
  readonly subject: string;
  readonly destination: { readonly to: string[] };
  readonly body: { readonly text?: string; readonly html?: string };
  readonly at: number;
}

export async function mailsTo(address: string, mailUrl = inject('mailUrl')): Promise<StoredMail[]> {
  // The store holds every mail of the run (megabytes by the end); a loaded machine has seen the
  // local SES drop the connection mid-answer: read it again then, twice at most.
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${mailUrl}/store`);
      const { emails } = (await res.json()) as { emails: StoredMail[] };
      return emails.filter((m) => m.destination.to.includes(address));
    } catch (err) {
      if (attempt === 3 || !(err instanceof TypeError)) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The token of the link to `page` in a mail's text part. */
export function linkToken(mail: StoredMail, page: string): string {
  const match = new RegExp(`/${page}\\?token=([A-Za-z0-9_%-]+)`).exec(mail.body.text ?? '');
  if (!match?.[1]) throw new Error(`No ${page} link in mail "${mail.subject}"`);
  return decodeURIComponent(match[1]);
}
