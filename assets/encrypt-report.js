/* global fetch, FormData, File, DOMParser */
// Progressive enhancement of the report form: "Encrypt in my browser". Without this file (or
// JavaScript) the form sends the report unencrypted, as it always did. With it, the confidential
// fields and every attachment are encrypted here to the project's OpenPGP key before anything is
// sent; the desk receives one armored message (`encrypted`) and one encrypted file per attachment
// (attachment-N.pgp), and stores them without being able to read them. Format: see
// src/domain/reports/sealed-report.ts.
const CONFIDENTIAL = ['title', 'description', 'steps', 'impact', 'cvss'];

const choice = document.getElementById('encrypt-choice');
const form = choice?.closest('form');
if (choice && form) setUp(choice, form);

function setUp(choice, form) {
  const toggle = document.getElementById('encrypt-toggle');
  const status = document.getElementById('encrypt-status');
  const say = (text) => {
    status.textContent = text;
  };
  choice.hidden = false;
  toggle.checked = true;
  const ready = loadKey(choice);
  ready.catch(() => {
    toggle.checked = false;
    toggle.disabled = true;
    say(choice.dataset.unavailable);
  });
  form.addEventListener('submit', (event) => {
    if (!toggle.checked) return;
    event.preventDefault();
    void send(form, choice, ready, say);
  });
}

/** openpgp's browser build and the desk's key, checked against the fingerprint the page names. */
async function loadKey(choice) {
  const openpgp = await import(choice.dataset.openpgp);
  const res = await fetch(choice.dataset.key, { credentials: 'omit' });
  if (!res.ok) throw new Error(`the key could not be loaded (HTTP ${res.status})`);
  const key = await openpgp.readKey({ armoredKey: await res.text() });
  if (key.getFingerprint().toUpperCase() !== choice.dataset.fingerprint) throw new Error('the key is not the one this page names');
  await key.getEncryptionKey();
  return { openpgp, key };
}

async function send(form, choice, ready, say) {
  const button = form.querySelector('button[type=submit]');
  // The desk cannot check what it cannot read: the browser checks the encrypted fields' rules.
  const title = form.elements.namedItem('title');
  const description = form.elements.namedItem('description');
  title.required = true;
  title.minLength = 3;
  description.required = true;
  if (!CONFIDENTIAL.every((name) => form.elements.namedItem(name)?.reportValidity() ?? true)) return;
  const fileInput = form.elements.namedItem('attachments');
  const files = fileInput?.files ? [...fileInput.files] : [];
  button.disabled = true;
  say(choice.dataset.working);
  let data;
  try {
    const { openpgp, key } = await ready;
    data = new FormData(form);
    const report = { type: 'cvdesk-report', version: 1 };
    for (const name of CONFIDENTIAL) {
      const value = String(data.get(name) ?? '').trim();
      data.delete(name);
      if (value !== '') report[name] = value;
    }
    data.delete('attachments');
    report.attachments = [];
    for (const [i, file] of files.entries()) {
      const name = `attachment-${i + 1}.pgp`;
      const message = await openpgp.createMessage({ binary: new Uint8Array(await file.arrayBuffer()), filename: file.name });
      const sealed = await openpgp.encrypt({ message, encryptionKeys: key, format: 'binary' });
      data.append('attachments', new File([sealed], name, { type: 'application/pgp-encrypted' }));
      report.attachments.push({ file: name, name: file.name, type: file.type || 'application/octet-stream', size: file.size });
    }
    const message = await openpgp.createMessage({ text: JSON.stringify(report) });
    data.set('encrypted', await openpgp.encrypt({ message, encryptionKeys: key }));
  } catch (e) {
    say(`${choice.dataset.failed} ${e instanceof Error ? e.message : String(e)}`);
    button.disabled = false;
    return;
  }
  let res;
  let page;
  try {
    res = await fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin' });
    page = new DOMParser().parseFromString(await res.text(), 'text/html');
  } catch (e) {
    say(`${choice.dataset.sendFailed} ${e instanceof Error ? e.message : String(e)}`);
    button.disabled = false;
    return;
  }
  if (res.ok) {
    // The page with the tracking link, shown once: it replaces the form as a navigation would.
    document.title = page.title;
    document.body.replaceWith(page.body);
    window.scrollTo(0, 0);
    return;
  }
  // Refused: the desk's reasons go above the form, and everything the reporter typed stays.
  const fresh = page.querySelector('input[name=_csrf]');
  const csrf = form.querySelector('input[name=_csrf]');
  if (fresh && csrf) csrf.value = fresh.value;
  form.querySelector('[role=alert]')?.remove();
  const alert = page.querySelector('form [role=alert]');
  if (alert) {
    // ("attach the files again" is for the form without this script: here they are still attached)
    alert.querySelector('p.small')?.remove();
    form.prepend(alert);
    alert.tabIndex = -1;
    alert.focus();
    say('');
  } else {
    const why = (page.querySelector('main')?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
    say(`${choice.dataset.sendFailed} ${why || `HTTP ${res.status}`}`);
  }
  button.disabled = false;
}
