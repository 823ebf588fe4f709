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
:root{color-scheme:light dark;--fg:#1f2933;--muted:#616e7c;--bg:#fff;--line:#d9e2ec;--accent:#1f6feb;--on-accent:#fff;--bad:#b42318}
@media (prefers-color-scheme:dark){:root{--fg:#e4e7eb;--muted:#9aa5b1;--bg:#111418;--line:#323f4b;--accent:#58a6ff;--on-accent:#0b1220;--bad:#ff8a80}}
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:var(--fg);background:var(--bg);line-height:1.5}
h1{font-size:1.4rem}
a{color:var(--accent)}
label{display:block;font-weight:600;margin-bottom:.2rem}
input{box-sizing:border-box;width:100%;max-width:26rem;padding:.55rem .7rem;font-size:1rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
button,.button{display:inline-block;background:var(--accent);color:var(--on-accent);border:0;border-radius:6px;padding:.7rem 1.4rem;font-size:1rem;text-decoration:none;cursor:pointer}
button.link{background:none;color:var(--accent);padding:0;text-decoration:underline}
button.secondary{background:none;color:var(--accent);border:1px solid var(--accent)}
form.alternative{margin:1rem 0}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
nav{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;border-bottom:1px solid var(--line);padding-bottom:.6rem}
nav .who{margin-left:auto;color:var(--muted)}
form.inline{display:inline}
table.facts{border-collapse:collapse;width:100%;table-layout:fixed}
td,.who,code{overflow-wrap:anywhere}
table.facts th,table.facts td{text-align:left;padding:.45rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
table.facts th{width:40%;font-weight:600}
.problem{color:var(--bad)}
.muted{color:var(--muted);font-size:.9rem}
svg.qr{display:block;margin:.5rem 0;max-width:100%;height:auto}
ol.codes{columns:2;font-size:1.05rem}
fieldset{border:1px solid var(--line);border-radius:6px;margin:0 0 1rem;padding:.5rem .8rem}
label.choice{font-weight:normal;margin:.3rem 0}
label.choice input{width:auto}
button.danger{background:#b42318;color:#fff}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
