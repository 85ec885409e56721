// The citizen's key on a complaint's page: the tracking link on the receipt
// carries it after `#k=`, which browsers never send to the server. This puts
// it in the citizen's forms (adding information, confirming, rating), so the
// server can tell the citizen from anyone else who knows the code. Without
// it the forms are disabled and the page says where the key is.
//
// A complaint filed before keys existed (`data-keyed="false"`) has none yet:
// this device makes one, keeps it, and the first action it sends claims the
// complaint; from then on only that key acts on it.
(() => {
  const forms = Array.from(document.querySelectorAll('form[data-citizen]'));
  if (!forms.length) return;
  const code = forms[0].dataset.citizen;
  const keyed = forms[0].dataset.keyed === 'true';
  const kept = `suara-key:${code}`;
  const linked = /^#k=([A-Za-z0-9_-]{22,128})$/.exec(location.hash);
  let key = linked ? linked[1] : null;
  try {
    if (!key) key = localStorage.getItem(kept);
    if (!key && !keyed && window.crypto) {
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      key = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      localStorage.setItem(kept, key);
    }
  } catch (_) { /* no storage: the link's key alone */ }
  for (const form of forms) {
    const field = form.querySelector('input[name="key"]');
    if (key && field) field.value = key;
    if (!key) form.querySelectorAll('button, textarea, input').forEach((e) => { e.disabled = true; });
  }
  const missing = document.getElementById('key-missing');
  if (missing) missing.hidden = Boolean(key);
})();
