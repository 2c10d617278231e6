// Progressive enhancement only: every page works without this file.
// Buttons marked data-confirm ask before their form is sent.
document.addEventListener('submit', (event) => {
  const button = event.submitter;
  const message = button?.getAttribute('data-confirm');
  if (message && !window.confirm(message)) event.preventDefault();
});
// "Copy" buttons next to a secret link copy it to the clipboard.
document.addEventListener('click', async (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (!target) return;
  const source = document.getElementById(target.getAttribute('data-copy') ?? '');
  // The clipboard API exists only on secure origins (https, localhost): elsewhere the link stays selectable text.
  if (!source || !navigator.clipboard) return;
  await navigator.clipboard.writeText(source.textContent ?? '');
  target.textContent = target.getAttribute('data-copied') ?? 'Copied';
});
