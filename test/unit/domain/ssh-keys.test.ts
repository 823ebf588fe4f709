import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshPublicKey } from '#domain/ssh-keys.ts';
import { opensshLine } from '../../support/ssh.ts';

const keyPair = {
  ed25519: () => generateKeyPairSync('ed25519').publicKey,
  p256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
  p384: () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey,
  p521: () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey,
  rsa: (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey,
};

/** What ssh-keygen says of the line, where it is installed: `<bits> SHA256:... comment (TYPE)`. */
function sshKeygen(line: string): string | undefined {
  if (!existsSync('/usr/bin/ssh-keygen')) return undefined;
  const file = join(mkdtempSync(join(tmpdir(), 'ssh-')), 'key.pub');
  writeFileSync(file, `${line}\n`);
  return spawnSync('/usr/bin/ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' }).stdout.trim();
}

/** Keys ssh-keygen made, and what `ssh-keygen -l` printed for them. */
const VECTORS = [
  {
    line: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOaJBS+4xvrED6KDmKhq2DgrzrUaO0hCMTUgf/JqpuAg vector@example',
    fingerprint: 'SHA256:9i86K61+6fZzG02oIgIwWwV17vcCuqAB/pTcs5ELrRo',
    bits: 256,
  },
  {
    line: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCYyg8d+4IgcLd3d9YZhUpU9K3pn9y9i3T/W6/3LRwVAC8sCjZH+DIzAmWYdbdUZ718OpBSa11M36S66ayfNl/T1LwyD6SAUMv4zYuJTr2LWLRL280K4ACGB2EwRJf7QivgtZJeV0f9YU8wTqj6YVbg8QKY9j6gYnhnX14cIV8tKuiWuHlhoB8Fufy0YDIPn6XaqCvM/kPlMpInn1OcCEgCL/J71zPnlkqgkFZqQjNwePe09cqEaPFj0+D/+/5FB1WxUjC7/e4ac6fsL8Fsw2Ad05Ws3OFlJLcRnkranxOmivrHiuUBKjz+b+xA1O5qnaXLsB3zaSyCuey80QmO0/8d rsa@example',
    fingerprint: 'SHA256:/VsqZI0w9y7YN1OSG3ZoTLbsfwegjoa1wOoBHLA3Zuw',
    bits: 2048,
  },
];

describe('parseSshPublicKey', () => {
  it('fingerprints as ssh-keygen did for keys it made', () => {
    for (const v of VECTORS)
      expect(parseSshPublicKey(v.line)).toMatchObject({ fingerprint: v.fingerprint, bits: v.bits });
  });

  it('takes Ed25519, ECDSA and RSA keys, keeps the comment, and fingerprints them as ssh-keygen does', () => {
    for (const [key, bits] of [
      [keyPair.ed25519(), 256],
      [keyPair.p256(), 256],
      [keyPair.p384(), 384],
      [keyPair.p521(), 521],
      [keyPair.rsa(2048), 2048],
      [keyPair.rsa(3072), 3072],
    ] as const) {
      const line = opensshLine(key, 'me@laptop  (work)');
      const parsed = parseSshPublicKey(`  ${line}\n`);
      expect(parsed).toMatchObject({ line, comment: 'me@laptop  (work)', bits });
      expect(parsed.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      const keygen = sshKeygen(line);
      if (keygen !== undefined) expect(keygen).toContain(`${bits} ${parsed.fingerprint} `);
    }
    expect(parseSshPublicKey(opensshLine(keyPair.ed25519(), '')).comment).toBeUndefined();
  });

  it('refuses what is not one good public key, saying why', () => {
    const good = opensshLine(keyPair.ed25519());
    const [type, data] = good.split(' ') as [string, string];
    const blob = Buffer.from(data, 'base64');
    const cases: [string, RegExp][] = [
      [opensshLine(keyPair.rsa(1024)), /RSA key of 1024 bits: at least 2048/],
      [`${good}\n${opensshLine(keyPair.ed25519())}`, /one key per call/],
      [`command="ls" ${good}`, /not a public key Gatehouse takes/],
      ['ssh-dss AAAAB3NzaC1kc3MAAACBAP', /not a public key Gatehouse takes/],
      ['-----BEGIN OPENSSH PRIVATE KEY-----', /private key/],
      [`${type} ${blob.subarray(0, blob.length - 3).toString('base64')}`, /cut short/],
      [`${type} ${Buffer.concat([blob, Buffer.from([0])]).toString('base64')}`, /runs on/],
      [`ssh-rsa ${data}`, /says one key type and holds another/],
      [`${type} not*base64`, /not base64/],
      [`${good} ${'x'.repeat(300)}`, /comment over 255/],
      [`${good}\u0007bell`, /control characters/],
      ['', /not a public key Gatehouse takes/],
    ];
    for (const [input, message] of cases) {
      expect(() => parseSshPublicKey(input), input.slice(0, 40)).toThrowError(message);
    }
  });

  it('refuses an ECDSA point that is not on its curve', () => {
    const line = opensshLine(keyPair.p256());
    const [type, data] = line.split(' ') as [string, string];
    const blob = Buffer.from(data, 'base64');
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 1;
    expect(() => parseSshPublicKey(`${type} ${blob.toString('base64')}`)).toThrowError(
      /not a valid public key/,
    );
  });
});
