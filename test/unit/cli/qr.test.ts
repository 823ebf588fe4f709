// The terminal's QR code as a person's phone sees it: the CLI's output drawn as a terminal draws
// it (half blocks, ANSI colours, the theme's own colours where none is set), on a light and a dark
// theme, then read back with zbarimg (Debian's zbar-tools).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalQr } from '../../../cli/gatehouse/qr.ts';

const ZBARIMG = '/usr/bin/zbarimg';
const hasZbar = existsSync(ZBARIMG);
if (!hasZbar) console.warn(`Skipping QR scans: ${ZBARIMG} is missing (apt-get install zbar-tools).`);

/** A terminal theme: the grey levels of its default foreground and background. */
interface Theme {
  readonly fg: number;
  readonly bg: number;
}
const LIGHT_THEME: Theme = { fg: 30, bg: 250 };
const DARK_THEME: Theme = { fg: 220, bg: 25 };

/** xterm-256 colours 16 and 231 are black and white whatever the theme. */
const grey = (index: number) => (index === 16 ? 0 : index === 231 ? 255 : 128);

/** The cells of a line: each the colours in force and its character (ANSI SGR read as it goes). */
function cells(line: string, theme: Theme): { fg: number; bg: number; ch: string }[] {
  const out: { fg: number; bg: number; ch: string }[] = [];
  let fg = theme.fg;
  let bg = theme.bg;
  const chars = [...line];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== '\u001b') {
      out.push({ fg, bg, ch: chars[i] as string });
      continue;
    }
    const end = chars.indexOf('m', i);
    const params = chars
      .slice(i + 2, end)
      .join('')
      .split(';')
      .map(Number);
    i = end;
    let p = 0;
    while (p < params.length) {
      if (params[p] === 38 && params[p + 1] === 5) {
        fg = grey(params[p + 2] ?? 0);
        p += 3;
      } else if (params[p] === 48 && params[p + 1] === 5) {
        bg = grey(params[p + 2] ?? 0);
        p += 3;
      } else {
        if (params[p] === 0) [fg, bg] = [theme.fg, theme.bg];
        p += 1;
      }
    }
  }
  return out;
}

/** Draws the text as a terminal would: each cell two pixels tall, scaled up, as a PGM image. */
function draw(text: string, theme: Theme, scale = 6): Buffer {
  const rows: number[][] = [];
  for (const line of text.split('\n')) {
    const top: number[] = [];
    const bottom: number[] = [];
    for (const { fg, bg, ch } of cells(line, theme)) {
      const [t, b] = ch === '▀' ? [fg, bg] : ch === '▄' ? [bg, fg] : ch === '█' ? [fg, fg] : [bg, bg];
      top.push(t);
      bottom.push(b);
    }
    rows.push(top, bottom);
  }
  // The terminal around the code: a margin of its background.
  const margin = 4;
  const width = (Math.max(...rows.map((r) => r.length)) + 2 * margin) * scale;
  const height = (rows.length + 2 * margin) * scale;
  const pixels = Buffer.alloc(width * height, theme.bg);
  for (const [y, row] of rows.entries()) {
    for (const [x, value] of row.entries()) {
      for (let dy = 0; dy < scale; dy++) {
        const start = ((y + margin) * scale + dy) * width + (x + margin) * scale;
        pixels.fill(value, start, start + scale);
      }
    }
  }
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`), pixels]);
}

function scan(image: Buffer): string | undefined {
  const file = join(mkdtempSync(join(tmpdir(), 'qr-')), 'code.pgm');
  writeFileSync(file, image);
  const result = spawnSync(ZBARIMG, ['--raw', '-q', file], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const URL =
  'otpauth://totp/Gatehouse:someone%40example.com?issuer=Gatehouse&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30';

describe.skipIf(!hasZbar)('the terminal QR code', () => {
  it('scans on a light terminal and on a dark one', () => {
    expect(scan(draw(terminalQr(URL), LIGHT_THEME))).toBe(URL);
    expect(scan(draw(terminalQr(URL), DARK_THEME))).toBe(URL);
  });

  it('(uqr’s plain rendering, for output that is no terminal, scans on a dark theme only)', () => {
    expect(scan(draw(terminalQr(URL, true), DARK_THEME))).toBe(URL);
    expect(scan(draw(terminalQr(URL, true), LIGHT_THEME))).toBeUndefined();
  });
});
