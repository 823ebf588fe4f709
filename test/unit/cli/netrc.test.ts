// The CLI's netrc: this API's entry set, replaced and removed; every other byte left as it was.
import { mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCredentials, removeCredentials, saveCredentials } from '../../../cli/gatehouse/netrc.ts';

const file = async (content?: string, mode = 0o600) => {
  const path = join(await mkdtemp(join(tmpdir(), 'netrc-')), '.netrc');
  if (content !== undefined) await writeFile(path, content, { mode });
  return path;
};

const OTHERS = `# my machines
machine api.heroku.com
  login me@example.com
  password secret-one

machine github.com login octo password "with space"
macdef init
machine not.a.machine login nope password nope

default login anonymous password guest
`;

describe('netrc', () => {
  it('creates the file 0600 with one entry', async () => {
    const path = await file();
    await saveCredentials('api.example.com', { login: 'a@b.co', password: 'gh_key_1' }, path);
    expect(await readFile(path, 'utf8')).toBe(
      'machine api.example.com\n  login a@b.co\n  password gh_key_1\n',
    );
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readCredentials('api.example.com', path)).toEqual({ login: 'a@b.co', password: 'gh_key_1' });
  });

  it('appends, replaces in place and removes only its own entry, byte for byte', async () => {
    const path = await file(OTHERS, 0o640);
    await saveCredentials('127.0.0.1:3000', { login: 'a@b.co', password: 'gh_key_1' }, path);
    const entry1 = 'machine 127.0.0.1:3000\n  login a@b.co\n  password gh_key_1\n';
    expect(await readFile(path, 'utf8')).toBe(OTHERS + entry1);
    // It holds a key now: readable by its owner alone.
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await saveCredentials('127.0.0.1:3000', { login: 'a@b.co', password: 'gh_key_2' }, path);
    expect(await readFile(path, 'utf8')).toBe(`${OTHERS}${entry1.replace('gh_key_1', 'gh_key_2')}`);
    expect(await readCredentials('github.com', path)).toEqual({ login: 'octo', password: 'with space' });
    // The macdef's body is not an entry.
    expect(await readCredentials('not.a.machine', path)).toBeUndefined();
    expect(await removeCredentials('127.0.0.1:3000', path)).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(OTHERS);
    expect(await removeCredentials('127.0.0.1:3000', path)).toBe(false);
  });

  it('replaces an entry in the middle without touching its neighbours', async () => {
    const path = await file(OTHERS);
    await saveCredentials('api.heroku.com', { login: 'new@b.co', password: 'p w' }, path);
    expect(await readFile(path, 'utf8')).toBe(
      OTHERS.replace(
        'machine api.heroku.com\n  login me@example.com\n  password secret-one\n',
        'machine api.heroku.com\n  login new@b.co\n  password "p w"\n',
      ),
    );
  });

  it('answers nothing for a host it does not know, or without a file', async () => {
    expect(await readCredentials('x.example', await file(OTHERS))).toBeUndefined();
    expect(await readCredentials('x.example', await file())).toBeUndefined();
  });

  it('keeps comments inside its entry, CRLF line ends, and # inside a value', async () => {
    const crlf =
      '# top\r\nmachine a.example login x password y#z\r\n\r\nmachine h.example # ours\r\n  login old@b.co\r\n  password old-key\r\n';
    const path = await file(crlf);
    expect(await readCredentials('a.example', path)).toEqual({ login: 'x', password: 'y#z' });
    await saveCredentials('H.Example', { login: 'new@b.co', password: 'new-key' }, path);
    expect(await readFile(path, 'utf8')).toBe(
      crlf.replace('old@b.co', 'new@b.co').replace('old-key', 'new-key'),
    );
    expect(await removeCredentials('h.example', path)).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(
      '# top\r\nmachine a.example login x password y#z\r\n\r\n# ours\r\n',
    );
    await saveCredentials('n.example', { login: 'a@b.co', password: 'k' }, path);
    expect(
      (await readFile(path, 'utf8')).endsWith('\r\nmachine n.example\r\n  login a@b.co\r\n  password k\r\n'),
    ).toBe(true);
  });

  it('ends a macdef at a blank line, spaces or CRLF included', async () => {
    const path = await file('macdef init\r\ncd /\r\n  \r\nmachine m.example login a password b\n');
    expect(await readCredentials('m.example', path)).toEqual({ login: 'a', password: 'b' });
  });

  it('writes through a symlink, and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netrc-link-'));
    const real = join(dir, 'dotfiles-netrc');
    await writeFile(real, OTHERS, { mode: 0o600 });
    const link = join(dir, '.netrc');
    await symlink(real, link);
    await saveCredentials('s.example', { login: 'a@b.co', password: 'k' }, link);
    expect((await readFile(real, 'utf8')).startsWith(OTHERS)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['.netrc', 'dotfiles-netrc']);
    expect(await readCredentials('s.example', link)).toEqual({ login: 'a@b.co', password: 'k' });
  });
});
