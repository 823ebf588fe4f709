// A QR code as inline SVG for a page: black on white with a quiet zone of four modules, so that
// it scans on a dark page too, and a fixed size; no script, no external image (the page CSP).
import { renderSVG } from 'uqr';
import { escapeHtml } from '#shared/html.ts';

export function qrSvg(text: string, label: string): string {
  const svg = renderSVG(text, { border: 4, pixelSize: 4 });
  return svg.replace(
    '<svg ',
    `<svg role="img" aria-label="${escapeHtml(label)}" width="220" height="220" class="qr" `,
  );
}
