# Runs the unmodified Gigalixir CLI (a checkout of github.com/gigalixir/gigalixir-cli in
# GIGALIXIR_CLI_DIR) through every account command against `npm start`, on a terminal (pexpect),
# reading mail from the local SES, the MFA QR code off the terminal with zbarimg, and playing the
# browser of each Google sign-in. Prints PASS or FAIL a step and a count; exits 1 on any FAIL.
# README.md beside it says what it needs.
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import pexpect

HERE = os.path.dirname(os.path.abspath(__file__))
CLI_DIR = os.environ['GIGALIXIR_CLI_DIR']
HOST = os.environ.get('GIGALIXIR_CLI__HOST', 'http://api.gigalixir.com:3000')
API = os.environ.get('GATEHOUSE_API', 'http://127.0.0.1:3000')
MAIL = os.environ.get('GATEHOUSE_MAIL', 'http://127.0.0.1:8005')

# The client reads its own version from its package metadata: a minimal one beside the stubs.
SITE = tempfile.mkdtemp(prefix='gigalixir-site-')
version = re.search(r"version='([^']+)'", open(os.path.join(CLI_DIR, 'setup.py')).read()).group(1)
os.makedirs(os.path.join(SITE, f'gigalixir-{version}.dist-info'))
open(os.path.join(SITE, f'gigalixir-{version}.dist-info', 'METADATA'), 'w').write(
    f'Metadata-Version: 2.1\nName: gigalixir\nVersion: {version}\n')
HOME = tempfile.mkdtemp(prefix='gigalixir-home-')
ENV = dict(os.environ, HOME=HOME, GIGALIXIR_CLI__HOST=HOST,
           PYTHONPATH=os.pathsep.join([os.path.join(HERE, 'site'), SITE, CLI_DIR]))
results = []

def gx(args, answers=(), timeout=60):
    """Runs one command on a pty; answers: (prompt regex, reply or callable) in order."""
    child = pexpect.spawn(sys.executable, ['-c', 'from gigalixir import cli; cli()', *args], env=ENV, encoding='utf-8', timeout=timeout, cwd=CLI_DIR)
    out = ''
    for prompt, reply in answers:
        child.expect(prompt)
        out += child.before + (child.after if isinstance(child.after, str) else '')
        child.sendline(reply(out) if callable(reply) else reply)
    child.expect(pexpect.EOF)
    out += child.before
    child.close()
    return child.exitstatus, out if args[:1] == ['account:mfa:activate'] else re.sub(r'\x1b\[[0-9;]*m', '', out)

def step(name, status, out, ok):
    passed = status == 0 and ok(out)
    results.append((name, passed))
    print(('PASS ' if passed else 'FAIL ') + name + ('' if passed else f' (exit {status})\n' + out[-1500:]))
    return out

def mails(to):
    store = json.load(urllib.request.urlopen(f'{MAIL}/store'))
    return [m for m in store['emails'] if to in json.dumps(m.get('destination', m))]

def last_text(to):
    m = mails(to)[-1]
    return m.get('text') or m.get('body', {}).get('text') or json.dumps(m)

def totp(url):
    return subprocess.run(['node', os.path.join(HERE, 'totp.mjs'), url], capture_output=True, text=True).stdout

def fresh_totp(url, used):
    # a code not used yet: wait for the next step when the current one was spent
    while True:
        c = totp(url)
        if c not in used:
            used.add(c); return c
        time.sleep(2)

stamp = int(time.time())
EMAIL = f'gx-all-{stamp}@example.com'
PASS1, PASS2, PASS3 = 'first pass phrase 1', 'second pass phrase 2', 'third pass phrase 3'
used = set()

s, o = gx(['signup'], [
    (r'Email: ', EMAIL),
    (r'Confirmation code: ', lambda _: re.search(r'code is (\d{6})', last_text(EMAIL)).group(1)),
    (r'Password: ', PASS1),
    (r'Promo code.*: ', ''),
    (r'Tier: ', '1'),
    (r'proceed\?.*: ', 'y'),
])
step('signup', s, o, lambda o: 'Welcome to Gigalixir!' in o)
s, o = gx(['account']); step('account', s, o, lambda o: EMAIL in o)
s, o = gx(['logout']); step('logout', s, o, lambda o: True)
s, o = gx(['login', '-e', EMAIL, '-p', PASS1, '-y']); step('login', s, o, lambda o: 'Logged in as' in o)
s, o = gx(['account:confirmation:resend', '-e', EMAIL]); step('account:confirmation:resend', s, o, lambda o: 'Traceback' not in o)
s, o = gx(['account:api_key:reset', '-p', PASS1, '-y']); step('account:api_key:reset', s, o, lambda o: 'Traceback' not in o)
s, o = gx(['account']); step('account (the reset key, from netrc)', s, o, lambda o: EMAIL in o)
s, o = gx(['account:password:change', '-p', PASS1, '-n', PASS2]); step('account:password:change', s, o, lambda o: 'Traceback' not in o)
s, o = gx(['account:password:reset', '-e', EMAIL]); step('account:password:reset', s, o, lambda o: 'Reset password link' in o)
token = re.search(r'reset-password\?token=([A-Za-z0-9_%-]+)', last_text(EMAIL)).group(1)
s, o = gx(['account:password:set', '-t', urllib.parse.unquote(token), '-p', PASS3]); step('account:password:set', s, o, lambda o: 'Traceback' not in o)
s, o = gx(['login', '-e', EMAIL, '-p', PASS3, '-y']); step('login (the reset password)', s, o, lambda o: 'Logged in as' in o)
keyfile = os.path.join(HOME, 'id_ed25519')
subprocess.run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'me@laptop', '-f', keyfile], check=True)
pub = open(keyfile + '.pub').read().strip()
s, o = gx(['account:ssh_keys:add', pub]); step('account:ssh_keys:add', s, o, lambda o: 'Traceback' not in o)
s, o = gx(['account:ssh_keys']); step('account:ssh_keys', s, o, lambda o: 'me@laptop' in o)
key_id = re.search(r'"id": "?([^",\s]+)', o).group(1)
s, o = gx(['account:ssh_keys:remove', key_id]); step('account:ssh_keys:remove', s, o, lambda o: 'Traceback' not in o)
s, o = gx(['account:ssh_keys']); step('account:ssh_keys (none left)', s, o, lambda o: 'me@laptop' not in o)
s, o = gx(['account:payment_method']); step('account:payment_method (none)', s, o, lambda o: 'Traceback' not in o)
card = ['--card_number', '4242424242424242', '--card_exp_month', '12', '--card_exp_year', '2031', '--card_cvc', '123']
s, o = gx(['account:upgrade', *card]); step('account:upgrade', s, o, lambda o: 'Traceback' not in o)
s, o = gx(['account']); step('account (STANDARD)', s, o, lambda o: 'STANDARD' in o)
s, o = gx(['account:payment_method:set', '--card_number', '5555555555554444', '--card_exp_month', '11', '--card_exp_year', '2032', '--card_cvc', '321']); step('account:payment_method:set', s, o, lambda o: 'Traceback' not in o)
s, o = gx(['account:payment_method']); step('account:payment_method', s, o, lambda o: '4444' in o)
s, o = gx(['account:invoices']); step('account:invoices', s, o, lambda o: 'Traceback' not in o)

otp_url = {}
def read_qr(out):
    screen = os.path.join(HOME, 'qr.txt')
    open(screen, 'w').write(out)
    url = subprocess.run([sys.executable, os.path.join(HERE, 'qr.py'), screen], capture_output=True, text=True).stdout.strip()
    otp_url['url'] = url
    return fresh_totp(url, used)
s, o = gx(['account:mfa:activate', '-y'], [(r'Multi-factor Authentication Token: ', read_qr)]); step('account:mfa:activate (the QR code read by zbarimg)', s, o, lambda o: otp_url.get('url', '').startswith('otpauth://') and 'Traceback' not in o)
s, o = gx(['logout']); step('logout', s, o, lambda o: True)
s, o = gx(['login', '-e', EMAIL, '-p', PASS3, '-y'], [(r'Multi-factor Authentication Token: ', lambda _: fresh_totp(otp_url['url'], used))]); step('login with MFA (asked for the code)', s, o, lambda o: 'Logged in as' in o)
s, o = gx(['account:mfa:recovery_codes:regenerate', '-y']); step('account:mfa:recovery_codes:regenerate (sends {})', s, o, lambda o: 'Traceback' not in o)
s, o = gx(['account:mfa:deactivate', '-y']); step('account:mfa:deactivate (sends {})', s, o, lambda o: 'Traceback' not in o)
NEW = f'gx-new-{stamp}@example.com'
s, o = gx(['account:email:set', '-p', PASS3, '-e', NEW]); step('account:email:set', s, o, lambda o: 'Confirmation email sent' in o)
tok = re.search(r'confirm-email-change\?token=([A-Za-z0-9_%-]+)', last_text(NEW)).group(1)
# The new address's link, followed (its page's form posts this).
req = urllib.request.Request(f'{API}/api/users/email/confirm', data=json.dumps({'token': urllib.parse.unquote(tok)}).encode(),
                             headers={'content-type': 'application/json'}, method='POST')
step('the new address confirmed by its mailed link', 0, str(urllib.request.urlopen(req).status), lambda o: o == '200')
s, o = gx(['account']); step('account (the old address still in netrc)', s, o, lambda o: re.search(r'"email": "' + re.escape(NEW), o) is not None)

def google(args, email, how, mfa_url=None):
    child = pexpect.spawn(sys.executable, ['-c', 'from gigalixir import cli; cli()', *args], env=ENV, encoding='utf-8', timeout=120, cwd=CLI_DIR)
    child.expect(r'type the code (\S+) where')
    out = child.before + child.after
    link = re.search(r'browse to (\S+)', out).group(1)
    code = child.match.group(1)
    b = subprocess.run(['node', os.path.join(HERE, 'browser.mjs'), link, 'button' if how == 'button' else code, email, fresh_totp(mfa_url, used) if mfa_url else ''], capture_output=True, text=True)
    print('  browser:', b.stdout.strip().replace('\n', '\n  browser: '), b.stderr[-300:])
    return child, out

child, o = google(['login:google', '-y'], NEW, 'code')
child.expect(pexpect.EOF); o += child.before; child.close()
step('login:google (the code printed under the link)', child.exitstatus, o, lambda o: 'Logged in as' in o)
s, o = gx(['account:mfa:activate', '-y'], [(r'Multi-factor Authentication Token: ', read_qr)]); step('account:mfa:activate again', s, o, lambda o: 'Traceback' not in o)
child, o = google(['login:google', '-y'], NEW, 'button', otp_url['url'])
child.expect(pexpect.EOF); o += child.before; child.close()
step('login:google with MFA (the button, the code on the page)', child.exitstatus, o, lambda o: 'Logged in as' in o)
s, o = gx(['account:destroy', '-y', '-e', NEW, '-p', PASS3]); step('account:destroy with MFA on (no mfa_token: the recent factor)', s, o, lambda o: 'Traceback' not in o)

GEMAIL = f'gx-google-{stamp}@example.com'
child, o = google(['signup:google'], GEMAIL, 'code')
for prompt, reply in [(r'Promo code.*: ', ''), (r'Tier: ', '1'), (r'proceed\?.*: ', 'y')]:
    child.expect(prompt); o += child.before + child.after; child.sendline(reply)
child.expect(pexpect.EOF); o += child.before; child.close()
step('signup:google (the code printed under the link)', child.exitstatus, o, lambda o: 'Welcome to Gigalixir!' in o)
s, o = gx(['account']); step('account (the Google signup)', s, o, lambda o: GEMAIL in o)
print(f'{sum(p for _, p in results)} of {len(results)} steps pass')
sys.exit(0 if all(p for _, p in results) else 1)
