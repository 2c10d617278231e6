/**
 * The team's report page, for a report encrypted in the reporter's browser: the encrypted message
 * and the controls assets/decrypt-report.js needs to decrypt it in this page with the project's
 * private key (revealed by the script; without JavaScript the message can be copied for gpg).
 */
export function SealedReportPanel({ message, files, openpgpPath }: { message: string; files: Array<{ filename: string; url: string }>; openpgpPath: string }) {
  return (
    <div id="sealed-report" data-openpgp={openpgpPath}>
      <h3>Encrypted in the reporter's browser</h3>
      <p class="small">
        The reporter encrypted this report to the project's OpenPGP key before sending it: the desk holds only the encrypted message{files.length > 0 ? ' and files' : ''}. Decrypt it here with the
        project's private key; the key is read and used only in this page, and nothing is sent to the desk.
      </p>
      <noscript>
        <p class="notice small">
          Decrypting in the page needs JavaScript. Or copy the message below into a file and run <code>gpg --decrypt</code> (the text is JSON; each file decrypts to the original).
        </p>
      </noscript>
      <div id="sealed-controls" hidden>
        <div class="field">
          <label for="sealed-key-file">Private key file</label>
          <input type="file" id="sealed-key-file" accept=".asc,.gpg,.key,.pgp,.txt" />
        </div>
        <div class="field">
          <label for="sealed-key-text">
            Or paste the armored private key <span class="hint">Used only when no file is chosen.</span>
          </label>
          <textarea id="sealed-key-text" rows={3} autocomplete="off" spellcheck={false} />
        </div>
        <div class="field">
          <label for="sealed-passphrase">Passphrase</label>
          <input type="password" id="sealed-passphrase" autocomplete="off" />
        </div>
        <div class="actions">
          <button type="button" id="sealed-decrypt">
            Decrypt in this browser
          </button>
        </div>
        <p class="small" id="sealed-status" role="status" aria-live="polite" />
      </div>
      <div id="sealed-plain" hidden />
      <ul id="sealed-files" hidden>
        {files.map((f) => (
          <li data-file={f.filename} data-url={f.url}>
            {f.filename}
          </li>
        ))}
      </ul>
      <details>
        <summary>The encrypted message</summary>
        <pre id="sealed-message">{message}</pre>
      </details>
      <script type="module" src="/assets/decrypt-report.js" />
    </div>
  );
}
