// Live dashboard: when a sync reaches a service the signed-in account may
// see (server-sent events from /api/v1/events), the figures on screen are
// fetched again and swapped in place: no reload, the pickers untouched, and
// a polite announcement for screen readers. Without this script (or without
// EventSource) the page is the same, only not live.
(() => {
  const live = document.getElementById('live-status');
  if (!document.getElementById('figures') || !window.EventSource || !live) return;
  let timer = null;
  const refresh = async () => {
    timer = null;
    try {
      const r = await fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
      if (!r.ok) return;
      const fresh = new DOMParser().parseFromString(await r.text(), 'text/html');
      for (const id of ['figures', 'complaints-line']) {
        const next = fresh.getElementById(id);
        const current = document.getElementById(id);
        if (!next || !current) continue;
        const focused = document.activeElement && current.contains(document.activeElement) ? document.activeElement.id : null;
        current.replaceWith(next);
        if (focused) document.getElementById(focused)?.focus();
      }
      live.textContent = `${live.dataset.updated} ${new Date().toLocaleTimeString(document.documentElement.lang)}`;
      document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1);
    } catch (_) { /* the next event tries again */ }
  };
  const source = new EventSource('/api/v1/events');
  source.addEventListener('open', () => { document.body.dataset.live = 'true'; });
  // Several responses in one sync, or several syncs at once: one refresh.
  source.addEventListener('response', () => { if (!timer) timer = setTimeout(refresh, 300); });
  // A new complaint: the counts of open and overdue complaints.
  source.addEventListener('complaint', () => { if (!timer) timer = setTimeout(refresh, 300); });
})();
