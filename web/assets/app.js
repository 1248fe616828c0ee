// The only script on our pages (served as /assets/app.<hash>.js, type="module").
// Every page works without it; it starts govuk-frontend's components and adds small helps.
import { initAll } from 'govuk-frontend';

// Radios whose conditional inputs we reveal ourselves: govuk's Radios would put aria-expanded
// on each radio input, which ARIA does not allow there (govuk-frontend#979). Taken out of
// govuk's hands before initAll; aria-controls (allowed on any element) still links each radio
// to what it reveals. Without JavaScript nothing is hidden.
for (const radios of document.querySelectorAll('[data-sc-reveal]')) {
  radios.removeAttribute('data-module');
  const inputs = [...radios.querySelectorAll('input[type="radio"]')];
  const targetOf = (input) => document.getElementById(input.getAttribute('data-aria-controls') ?? '');
  const sync = () => {
    for (const input of inputs) targetOf(input)?.classList.toggle('govuk-radios__conditional--hidden', !input.checked);
  };
  for (const input of inputs) {
    if (targetOf(input)) input.setAttribute('aria-controls', input.getAttribute('data-aria-controls') ?? '');
    input.addEventListener('change', sync);
  }
  window.addEventListener('pageshow', sync);
  sync();
}

initAll();

// "Use my current location" fills the map point fields from the device's position.
for (const button of document.querySelectorAll('[data-sc-locate]')) {
  const lat = document.getElementById(button.getAttribute('data-lat-field') ?? '');
  const lng = document.getElementById(button.getAttribute('data-lng-field') ?? '');
  const status = document.getElementById(button.getAttribute('data-status') ?? '');
  if (!lat || !lng || !('geolocation' in navigator)) continue;
  button.removeAttribute('hidden');
  button.addEventListener('click', (event) => {
    event.preventDefault();
    if (status) status.textContent = 'Finding your location…';
    navigator.geolocation.getCurrentPosition(
      (position) => {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        if (status) status.textContent = 'Your location has been added.';
      },
      () => {
        if (status) status.textContent = 'Your location could not be found. Give a postcode or describe the place instead.';
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
}

// Checks a chosen photo before it is sent, so a person learns at once that it is too big
// or of the wrong type; the server checks again whatever happens here. It also stops a
// double click sending the photo twice, but only once a photo is really on its way: a
// refused one leaves the button ready for the next (govuk-frontend's preventDoubleClick
// would ignore every click for a second after any click, refused or not).
for (const input of document.querySelectorAll('input[type="file"][data-max-bytes]')) {
  const form = input.form;
  const maxBytes = Number(input.getAttribute('data-max-bytes'));
  const types = (input.getAttribute('accept') ?? '').split(',').map((t) => t.trim().toLowerCase());
  const message = document.getElementById(`${input.id}-client-error`);
  const problem = (file) => {
    if (!file) return 'Select a photo';
    const name = file.name.toLowerCase();
    const typed = types.includes(file.type.toLowerCase()) || types.some((t) => t.startsWith('.') && name.endsWith(t));
    if (!typed) return 'The selected file must be a JPG, PNG or HEIC';
    if (file.size > maxBytes) return 'The selected file must be smaller than 10MB';
    return undefined;
  };
  let sending = false;
  // Back from the next page (bfcache), the form is the one left mid-send: make it usable again.
  window.addEventListener('pageshow', () => {
    sending = false;
  });
  form?.addEventListener('submit', (event) => {
    if (sending) {
      event.preventDefault();
      return;
    }
    const text = problem(input.files?.[0]);
    if (!text || !message) {
      sending = true;
      return;
    }
    event.preventDefault();
    message.textContent = '';
    const hidden = document.createElement('span');
    hidden.className = 'govuk-visually-hidden';
    hidden.textContent = 'Error: ';
    message.append(hidden, text);
    message.removeAttribute('hidden');
    input.closest('.govuk-form-group')?.classList.add('govuk-form-group--error');
    input.focus();
  });
}
