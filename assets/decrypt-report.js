/* global fetch, Blob, URL, TextDecoder */
// The team's report page, for a report encrypted in the reporter's browser: decrypts it here with
// the project's private key, which the team member picks as a file or pastes. The key and the
// passphrase never leave this page; nothing is sent to the desk except the requests for the
// encrypted files it already holds. Plaintext is shown as text only (textContent), files as
// downloads. Format: see src/domain/reports/sealed-report.ts.
const panel = document.getElementById('sealed-report');
if (panel) setUp(panel);

const FIELDS = [
  ['title', 'Title'],
  ['description', 'Description'],
  ['steps', 'Steps to reproduce'],
  ['impact', 'Impact'],
  ['cvss', "Reporter's CVSS vector"],
];

function setUp(panel) {
  const controls = document.getElementById('sealed-controls');
  const status = document.getElementById('sealed-status');
  const button = document.getElementById('sealed-decrypt');
  const passphrase = document.getElementById('sealed-passphrase');
  const say = (text) => {
    status.textContent = text;
  };
  controls.hidden = false;
  const run = async () => {
    button.disabled = true;
    say('Decrypting…');
    try {
      await decrypt(panel, await readKeyInput(), passphrase.value);
      say('Decrypted in this browser. Reload the page to forget the plaintext and the key.');
    } catch (e) {
      say(`Not decrypted: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      passphrase.value = '';
      button.disabled = false;
    }
  };
  button.addEventListener('click', () => void run());
  passphrase.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void run();
    }
  });
}

/** The chosen key file's bytes, or the pasted text. */
async function readKeyInput() {
  const file = document.getElementById('sealed-key-file').files?.[0];
  if (file) return new Uint8Array(await file.arrayBuffer());
  const text = document.getElementById('sealed-key-text').value.trim();
  if (!text) throw new Error('choose the private key file or paste the key');
  return text;
}

async function decrypt(panel, keyData, passphrase) {
  const openpgp = await import(panel.dataset.openpgp);
  const armored = typeof keyData === 'string' ? keyData : new TextDecoder().decode(keyData.subarray(0, 64)).includes('-----BEGIN PGP') ? new TextDecoder().decode(keyData) : null;
  let key = armored ? await openpgp.readPrivateKey({ armoredKey: armored }) : await openpgp.readPrivateKey({ binaryKey: keyData });
  if (!key.isDecrypted()) {
    if (!passphrase) throw new Error('the key is protected: enter its passphrase');
    key = await openpgp.decryptKey({ privateKey: key, passphrase });
  }
  const message = await openpgp.readMessage({ armoredMessage: document.getElementById('sealed-message').textContent });
  const { data } = await openpgp.decrypt({ message, decryptionKeys: key });
  let report;
  try {
    report = JSON.parse(data);
  } catch {
    report = { description: data };
  }
  const out = document.getElementById('sealed-plain');
  out.replaceChildren();
  for (const [field, label] of FIELDS) {
    if (typeof report[field] !== 'string' || report[field] === '') continue;
    const h = document.createElement('h3');
    h.textContent = label;
    const body = document.createElement('div');
    body.className = 'message body';
    body.dataset.field = field;
    body.textContent = report[field];
    out.append(h, body);
  }
  const files = Array.isArray(report.attachments) ? report.attachments : [];
  if (files.length > 0) {
    const h = document.createElement('h3');
    h.textContent = 'Attachments, decrypted';
    const list = document.createElement('ul');
    for (const f of files) list.append(await decryptFile(openpgp, key, f));
    out.append(h, list);
  }
  out.hidden = false;
}

/** One encrypted file fetched from the desk and decrypted into a download link (never opened in the page). */
async function decryptFile(openpgp, key, entry) {
  const item = document.createElement('li');
  const name = typeof entry.name === 'string' && entry.name ? entry.name : String(entry.file);
  const stored = [...document.querySelectorAll('#sealed-files [data-file]')].find((el) => el.dataset.file === entry.file);
  if (!stored) {
    item.textContent = `${name}: the desk has no file ${entry.file}`;
    return item;
  }
  try {
    const res = await fetch(stored.dataset.url, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const message = await openpgp.readMessage({ binaryMessage: new Uint8Array(await res.arrayBuffer()) });
    const { data } = await openpgp.decrypt({ message, decryptionKeys: key, format: 'binary' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([data], { type: 'application/octet-stream' }));
    link.download = name;
    link.textContent = name;
    const size = document.createElement('span');
    size.className = 'small muted';
    size.textContent = ` ${typeof entry.type === 'string' ? entry.type : ''}, ${data.byteLength} bytes`;
    item.append(link, size);
  } catch (e) {
    item.textContent = `${name}: not decrypted (${e instanceof Error ? e.message : String(e)})`;
  }
  return item;
}
