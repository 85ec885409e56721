// The waiting-room display (/layar/{unit}): reloads when the unit's public
// live feed says its public page changed, and every 30 minutes in any case
// (a browser without EventSource, a feed refused or lost). Plain ES5 for
// old TV browsers.
(function () {
  var reload = function () {
    window.location.reload();
  };
  setTimeout(reload, 30 * 60 * 1000);
  var root = document.querySelector('[data-feed]');
  if (!root || !window.EventSource) {
    return;
  }
  var feed = new EventSource(root.getAttribute('data-feed'));
  feed.addEventListener('public', function () {
    feed.close();
    // Screens of one unit need not all ask at the same instant.
    setTimeout(reload, Math.random() * 3000);
  });
})();
