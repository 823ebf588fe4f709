// The few HTML pages and mail bodies are plain templates; every interpolated value is escaped.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

/** Pages send no referrer; one whose form must carry its Origin sends same-origin ones. */
export type ReferrerPolicy = 'no-referrer' | 'same-origin';

/** A complete, self-contained HTML document (no external assets, so the page CSP can be 'none'). */
export function htmlDocument(title: string, body: string, referrer: ReferrerPolicy = 'no-referrer'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="${referrer}">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
h1{font-size:1.4rem}
button,.button{display:inline-block;background:#1f6feb;color:#fff;border:0;border-radius:6px;padding:.7rem 1.4rem;font-size:1rem;text-decoration:none;cursor:pointer}
.muted{color:#616e7c;font-size:.9rem}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
