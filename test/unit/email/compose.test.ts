// Senders name a template and its arguments; the mail is made where it is sent (email/send.ts).
import { describe, expect, it } from 'vitest';
import { compose } from '../../../functions/lib/email/compose.ts';
import * as templates from '../../../functions/lib/email/templates.ts';
import { STYLESHEET } from '../../../functions/lib/shared/stylesheet.ts';

describe('compose', () => {
  const at = new Date('2026-12-07T08:30:00Z');

  it('makes the mail the named template makes of the same arguments', () => {
    expect(compose(['alreadyRegisteredMessage'])).toEqual(templates.alreadyRegisteredMessage());
    expect(compose(['resetLinkMessage', 'https://x.example/r#t'])).toEqual(
      templates.resetLinkMessage('https://x.example/r#t'),
    );
    const signIn = { ip: '203.0.113.9', way: 'password', secondFactor: 'recovery', keyId: 'k1' } as const;
    expect(compose(['newDeviceNotice', at, signIn])).toEqual(templates.newDeviceNotice(at, signIn));
    expect(compose(['newDeviceNotice', at, signIn]).text).toContain('203.0.113.9');
  });

  it('is given what the template takes, the template called once with it', () => {
    const mail = compose(['emailChangedNotice', at, 'new@x.example', 'https://x.example/v']);
    expect(mail).toEqual(templates.emailChangedNotice(at, 'new@x.example', 'https://x.example/v'));
    expect(mail.html).toContain('new@x.example');
    // Every value templates.ts exports is a template that a mail can name.
    expect(Object.values(templates).every((t) => typeof t === 'function')).toBe(true);
  });

  it('holds the stylesheet inline, a mail having nowhere to fetch it from', () => {
    const { html } = compose(['alreadyRegisteredMessage']);
    expect(html).toContain(`<style>\n${STYLESHEET}</style>`);
    expect(html).not.toContain('<link');
  });
});
