// A QR code as inline SVG for a page: black on white with a quiet zone of four modules, so that
// it scans on a dark page too, and a fixed size; no script, no external image (the page CSP).
// The encoder (11 KB) is loaded on the first setup page, not at every start of the MFA page.
import { escapeHtml } from '#shared/html.ts';
import { lazily } from '#shared/lazy.ts';

const loadUqr = lazily(() => import('uqr'));

export async function qrSvg(text: string, label: string): Promise<string> {
  const { renderSVG } = await loadUqr();
  const svg = renderSVG(text, { border: 4, pixelSize: 4 });
  return svg.replace(
    '<svg ',
    `<svg role="img" aria-label="${escapeHtml(label)}" width="220" height="220" class="qr" `,
  );
}
