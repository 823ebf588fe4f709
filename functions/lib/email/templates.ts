// Mail templates: a text part for every client and an HTML part built from the same words.
import { escapeHtml, htmlDocument } from '../html.ts';

export interface Message {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

function message(subject: string, paragraphs: string[], action?: { label: string; url: string }): Message {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : [])].join('\n\n');
  const html = htmlDocument(
    subject,
    [
      ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      ...(action
        ? [`<p><a class="button" href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`]
        : []),
    ].join('\n'),
  );
  return { subject, text: `${text}\n`, html };
}

export const confirmEmailMessage = (link: string): Message =>
  message(
    'Confirm your Gatehouse account',
    [
      'Welcome to Gatehouse. Confirm your email address to finish creating your account.',
      'The link works once and expires in 24 hours. If you did not sign up, ignore this mail.',
    ],
    { label: 'Confirm your email address', url: link },
  );

export const alreadyRegisteredMessage = (resetHint: string): Message =>
  message('Someone tried to sign up with your address', [
    'Someone, perhaps you, tried to create a Gatehouse account with this email address, which already has one.',
    `If it was you, log in instead. ${resetHint}`,
    'If it was not you, no action is needed: your account is unchanged.',
  ]);
