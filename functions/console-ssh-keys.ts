// GET /console/ssh-keys: the account's SSH keys (type, fingerprint, comment) with a remove button
// each, and a field to add one; POST adds (`ssh_key`) or removes (`remove`, a key's id) as POST
// and DELETE /api/ssh_keys do (services/ssh-keys.ts).
import type { Context } from 'hono';
import { listSshKeys, MAX_SSH_KEYS_PER_ACCOUNT, type SshKeyRecord } from '#data/ssh-keys.ts';
import { MAX_SSH_KEY_LENGTH } from '#domain/ssh-keys.ts';
import { createApp } from '#http/app.ts';
import { formBody, optionalString, string } from '#http/body.ts';
import {
  consolePage,
  fieldProblem,
  formTokenField,
  fullStop,
  invalidIf,
  type Problems,
  pageProblem,
  requireConsoleSession,
  requireConsoleSessionWith,
  SIGNED_IN_PAGE,
  type SignedIn,
  SSH_KEYS_PAGE,
  seeOther,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin, requestTime } from '#http/request.ts';
import { removeAccountSshKey } from '#services/ssh-key-removal.ts';
import { addAccountSshKey } from '#services/ssh-keys.ts';
import { escapeHtml } from '#shared/html.ts';

const keyRow = (k: SshKeyRecord, token: string) =>
  `<tr><td>${escapeHtml(k.comment ?? '(no comment)')}<br><span class="muted">${escapeHtml(k.type)}</span></td>
<td><code>${escapeHtml(k.fingerprint)}</code></td>
<td>${escapeHtml(k.createdAt.slice(0, 10))}</td>
<td><form method="post" action="${SSH_KEYS_PAGE}">${token}<input type="hidden" name="remove" value="${escapeHtml(k.keyId)}"><button type="submit" class="link" aria-label="Remove ${escapeHtml(k.comment ?? k.fingerprint)}">Remove</button></form></td></tr>`;

function page(
  c: Context,
  who: SignedIn,
  keys: readonly SshKeyRecord[],
  said: { readonly status?: string; readonly problems?: Problems; readonly line?: string } = {},
): string {
  const token = formTokenField(who.sessionKey);
  const problems = said.problems ?? {};
  const list = keys.length
    ? `<table class="facts"><thead><tr><th scope="col">Key</th><th scope="col">Fingerprint</th><th scope="col">Added</th><th scope="col"><span class="muted">Action</span></th></tr></thead><tbody>
${keys.map((k) => keyRow(k, token)).join('\n')}
</tbody></table>`
    : '<p>No SSH keys yet.</p>';
  return consolePage(
    c,
    'SSH keys',
    `${said.status ? `<p role="status">${escapeHtml(said.status)}</p>\n` : ''}${list}
<form method="post" action="${SSH_KEYS_PAGE}">${token}
<p><label for="ssh_key">Public key (one line, as in <code>~/.ssh/id_ed25519.pub</code>)</label>
<textarea id="ssh_key" name="ssh_key" rows="4" maxlength="${MAX_SSH_KEY_LENGTH}" required spellcheck="false" autocomplete="off"${invalidIf(problems, 'ssh_key')}>${escapeHtml(said.line ?? '')}</textarea>${fieldProblem(problems, 'ssh_key')}</p>
<button type="submit">Add the key</button>
</form>
<p class="muted">The platform's git and shell hosts trust these keys as yours. Ed25519, ECDSA, or RSA of 2048 bits or more; at most ${MAX_SSH_KEYS_PER_ACCOUNT}. You are mailed when one is added.</p>`,
    who,
  );
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: SSH keys',
    query: {
      added: { description: 'The fingerprint of the key the last post added, to say so' },
      removed: { description: 'Present after a key was removed, to say so' },
    },
    responses: {
      200: 'The keys and the form to add one',
      ...SIGNED_IN_PAGE,
    },
    html: true,
  },
  post: {
    summary: 'The web console: add or remove an SSH key',
    description: `\`ssh_key\` adds one public key as POST /api/ssh_keys does (checked, one account per key, at most ${MAX_SSH_KEYS_PER_ACCOUNT}, the owner mailed); \`remove\` removes the key of that id as DELETE /api/ssh_keys does. Then back to the list.`,
    responses: {
      303: 'Added or removed: to the list, which says so; or no live session: to /console/login',
      400: 'The key is not one valid public key of a type Gatehouse takes (the reason next to the field); or the form is malformed (neither or both of ssh_key and remove)',
      403: 'Not posted from this console (another site, or another session’s form token); or an operator suspended the account',
      404: 'The account has no SSH key of that id',
      409: `The key is already on this or another account, or the account holds ${MAX_SSH_KEYS_PER_ACCOUNT} keys already, or changed meanwhile`,
    },
    html: true,
  },
};

export const app = createApp()
  // The keys are read with the session's key: one round trip.
  .get(SSH_KEYS_PAGE, requireConsoleSessionWith(listSshKeys), (c) => {
    const { alongside: keys } = c.var;
    const added = c.req.query('added');
    const status =
      added !== undefined
        ? `Added the key ${added}.`
        : c.req.query('removed') !== undefined
          ? 'The key is removed.'
          : undefined;
    return c.html(page(c, c.var.signedIn, keys, { status }));
  })
  .post(
    SSH_KEYS_PAGE,
    formBody({
      form_token: string(64),
      ssh_key: optionalString(MAX_SSH_KEY_LENGTH),
      remove: optionalString(64),
    }),
    requireConsoleSession,
    async (c) => {
      const { user } = c.var;
      const who = c.var.signedIn;
      const { ssh_key: line, remove } = c.var.body;
      if ((line === undefined) === (remove === undefined))
        return c.html(
          page(c, who, await listSshKeys(user.userId), { problems: { ssh_key: 'Paste one public key.' } }),
          400,
        );
      if (remove !== undefined) {
        if (await removeAccountSshKey(user, remove, requestNow(c), requestOrigin(c)))
          return seeOther(c, `${SSH_KEYS_PAGE}?removed`);
        return c.html(
          consolePage(c, 'No such SSH key', '<p>It was removed already, or is not this account’s.</p>', who),
          404,
        );
      }
      try {
        const key = await addAccountSshKey(user, line ?? '', requestTime(c), requestOrigin(c));
        return seeOther(c, `${SSH_KEYS_PAGE}?added=${encodeURIComponent(key.fingerprint)}`);
      } catch (err) {
        const problem = pageProblem(c, err);
        if (!problem) throw err;
        const said = { problems: { ssh_key: fullStop(problem.message) }, line };
        return c.html(page(c, who, await listSshKeys(user.userId), said), problem.status);
      }
    },
  );

export const handler = handle(app);
