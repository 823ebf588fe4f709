# Reads the QR code that the Gigalixir CLI's qrcode.print_tty() drew on a terminal (ANSI: two
# spaces a module, background 47 white, 40 black) as a phone's camera would: redrawn as an image,
# then decoded by zbarimg (Debian's zbar-tools). Prints what it holds (argv: the terminal's output).
import re
import subprocess
import sys
import tempfile

SCALE, QUIET = 8, 4

rows = []
for line in open(sys.argv[1], encoding='utf-8', errors='replace').read().splitlines():
    cells, colour = [], None
    for m in re.finditer(r'\x1b\[([0-9;]*)m|( +)', line):
        if m.group(1) is not None:
            codes = m.group(1).split(';')
            colour = 0 if '47' in codes else 1 if '40' in codes else colour
        elif colour is not None:
            cells += [colour] * (len(m.group(2)) // 2)
    if len(cells) > 10:
        rows.append(cells)
if not rows:
    sys.exit('no QR code in that output')
width = max(len(r) for r in rows)
blank = [0] * width
with tempfile.NamedTemporaryFile('w', suffix='.pbm', delete=False) as image:
    image.write(f'P1\n{(width + 2 * QUIET) * SCALE} {(len(rows) + 2 * QUIET) * SCALE}\n')
    for r in [blank] * QUIET + rows + [blank] * QUIET:
        cells = [0] * QUIET + r + [0] * (width - len(r)) + [0] * QUIET
        line = ' '.join(str(v) for v in cells for _ in range(SCALE))
        image.write((line + '\n') * SCALE)
print(subprocess.run(['zbarimg', '-q', '--raw', image.name], capture_output=True, text=True).stdout.strip())
