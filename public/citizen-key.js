// The citizen's key on a complaint's page. The tracking link on the receipt
// carries it after `#k=`, which browsers never send to the server; on the
// phone that filed the complaint it is also in that phone's own records
// (IndexedDB). This puts it in the citizen's forms (adding information,
// confirming, rating) and after `#` in their addresses, so the page the
// server answers with keeps it too. Without a key the forms are disabled
// and the page says where the key is.
//
// A complaint filed before keys existed (`data-keyed="false"`) has none yet:
// this device makes one and keeps it, and the first action it sends claims
// the complaint; from then on only that key acts on it.
(async () => {
  const forms = Array.from(document.querySelectorAll('form[data-citizen]'));
  if (!forms.length) return;
  const code = forms[0].dataset.citizen;
  const keyed = forms[0].dataset.keyed === 'true';
  const kept = `suara-key:${code}`;
  const wellFormed = /^[A-Za-z0-9_-]{22,128}$/;

  // The complaint as this phone filed it, if it did: never creates the
  // database the app keeps its outbox in.
  const fromDevice = () => new Promise((resolve) => {
    if (!window.indexedDB) return resolve(null);
    const open = indexedDB.open('suara');
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => resolve(null);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('complaints')) { db.close(); return resolve(null); }
      const all = db.transaction('complaints').objectStore('complaints').getAll();
      all.onsuccess = () => {
        db.close();
        const mine = all.result.find((r) => r.code === code || r.first_code === code);
        resolve(mine && mine.key ? mine.key : null);
      };
      all.onerror = () => { db.close(); resolve(null); };
    };
  });

  const linked = /^#k=([A-Za-z0-9_-]{22,128})$/.exec(location.hash);
  let key = linked ? linked[1] : null;
  try { if (!key) key = localStorage.getItem(kept); } catch (_) { /* no storage */ }
  if (!key) key = await fromDevice();
  if (!key && !keyed && window.crypto) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    key = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    try { localStorage.setItem(kept, key); } catch (_) { /* this page only */ }
  }
  if (key && !wellFormed.test(key)) key = null;
  for (const form of forms) {
    const field = form.querySelector('input[name="key"]');
    if (key && field) {
      field.value = key;
      // The answer is a redirect without `#`: the browser keeps this one.
      form.action = `${form.getAttribute('action')}#k=${key}`;
    }
    if (!key) form.querySelectorAll('button, textarea, input').forEach((e) => { e.disabled = true; });
  }
  const missing = document.getElementById('key-missing');
  if (missing) missing.hidden = Boolean(key);
})();
