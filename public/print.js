// A print button on pages that carry no wasm (posters): the policy allows
// no inline handlers, so the click is listened for here.
for (const button of document.querySelectorAll('button[data-print]')) {
  button.addEventListener('click', () => window.print());
}
