// The one stylesheet of the pages and the mails. Pages link it (html.ts: served by
// functions/console-style.ts, kept by browsers for a year, a new URL for each version) so that their
// policy lets in no inline style; mails hold it inline, having no policy and no way to fetch it.
// A module of its own: a build splits by module, and pages that only link the sheet must not
// hold its text at start because their lazy mail chunk holds it.

export const STYLESHEET = `:root{color-scheme:light dark;--fg:#1f2933;--muted:#616e7c;--bg:#fff;--line:#d9e2ec;--accent:#1f6feb;--on-accent:#fff;--bad:#b42318}
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
`;
