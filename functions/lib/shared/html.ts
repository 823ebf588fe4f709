// The few HTML pages and mail bodies are plain templates; every interpolated value is escaped.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

/** Where the pages' stylesheet is served (functions/console-style.ts; the text: stylesheet.ts). */
export const STYLESHEET_PATH = '/console/style.css';

/**
 * The first 12 hex digits of the stylesheet's SHA-256, in the URL that pages link: change the
 * stylesheet and test/integration/console-style.test.ts says what this becomes.
 */
export const STYLESHEET_VERSION = '8afa1a29f739';

/** What pages link: a new URL for every version, so that none is ever served stale. */
export const STYLESHEET_HREF = `${STYLESHEET_PATH}?v=${STYLESHEET_VERSION}`;

/** Pages send no referrer; one whose form must carry its Origin sends same-origin ones. */
export type ReferrerPolicy = 'no-referrer' | 'same-origin';

/**
 * A complete HTML document. A page links the stylesheet (its one asset, from our own origin, so
 * that the page policy lets in no inline style); a mail passes it as `inlineStyle` (mail has no
 * policy, and often no way to fetch one), which also keeps its text out of the pages' builds.
 */
export function htmlDocument(
  title: string,
  body: string,
  referrer: ReferrerPolicy = 'no-referrer',
  inlineStyle?: string,
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="${referrer}">
<title>${escapeHtml(title)}</title>
${inlineStyle === undefined ? `<link rel="stylesheet" href="${STYLESHEET_HREF}">` : `<style>\n${inlineStyle}</style>`}
</head>
<body>
${body}
</body>
</html>
`;
}
