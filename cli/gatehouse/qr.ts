// The QR code an authenticator app scans off the terminal. Every cell is an upper half block whose
// foreground is the top module and background the bottom one, both in fixed colours (xterm-256's
// #000000 and #ffffff: the 16 basic colours follow the terminal's theme), so that it scans the
// same on light and dark terminals. uqr's compact rendering draws light modules in the
// terminal's own foreground, which inverts the code on a light theme.
import { encode, renderUnicodeCompact } from 'uqr';

const DARK = 16;
const LIGHT = 231;

/** The code in colour, for a terminal; with `plain`, uqr's uncoloured rendering (no terminal). */
export function terminalQr(text: string, plain = false): string {
  if (plain) return renderUnicodeCompact(text);
  // A quiet zone of two modules on every side, in the light colour.
  const { data } = encode(text, { border: 2 });
  const colour = (x: number, y: number) => (data[y]?.[x] === true ? DARK : LIGHT);
  const lines: string[] = [];
  for (let y = 0; y < data.length; y += 2) {
    let line = '';
    let last = '';
    for (let x = 0; x < data.length; x++) {
      const style = `\u001b[38;5;${colour(x, y)};48;5;${colour(x, y + 1)}m`;
      line += style === last ? '▀' : `${style}▀`;
      last = style;
    }
    lines.push(`${line}\u001b[0m`);
  }
  return lines.join('\n');
}
