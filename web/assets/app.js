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

// The hate question fits some categories only (report-input.ts, hateQuestionApplies): shown
// for those, hidden for the others. Without the script it is always shown, its hint says when
// to skip it, and the server ignores an answer given for a category it does not fit.
for (const block of document.querySelectorAll('[data-sc-hate-question]')) {
  const form = block.closest('form');
  const fits = new Set((block.getAttribute('data-categories') ?? '').split(' '));
  const sync = () => {
    const chosen = form?.querySelector('input[name="category"]:checked');
    block.hidden = chosen ? !fits.has(chosen.value) : false;
  };
  form?.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.name === 'category') sync();
  });
  window.addEventListener('pageshow', sync);
  sync();
}

/** Why a file cannot be sent as a photo, or undefined if it can (the server checks again). */
const photoProblem = (file, accept, maxBytes) => {
  if (!file) return 'Select a photo';
  const types = (accept ?? '').split(',').map((t) => t.trim().toLowerCase());
  const name = file.name.toLowerCase();
  const typed = types.includes(file.type.toLowerCase()) || types.some((t) => t.startsWith('.') && name.endsWith(t));
  if (!typed) return 'The selected file must be a JPG, PNG or HEIC';
  if (file.size > maxBytes) return 'The selected file must be smaller than 10MB';
  return undefined;
};

/** Shows a GOV.UK error message under a file input and moves focus to it. */
const showFileError = (input, message, text) => {
  message.textContent = '';
  const hidden = document.createElement('span');
  hidden.className = 'govuk-visually-hidden';
  hidden.textContent = 'Error: ';
  message.append(hidden, text);
  message.removeAttribute('hidden');
  input.closest('.govuk-form-group')?.classList.add('govuk-form-group--error');
  input.focus();
};

// Photos chosen on the report form wait in this browser's IndexedDB while the report is sent,
// then go one by one through the confirmation page's own upload form (the presigned POST to
// S3 and its redirect back, exactly as without the script). Nothing else keeps them.
const photoQueue = (() => {
  const open = () =>
    new Promise((resolve, reject) => {
      const request = indexedDB.open('sc-report-photos', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('queue');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const run = async (mode, step) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction('queue', mode);
      const request = step(tx.objectStore('queue'));
      tx.oncomplete = () => {
        db.close();
        resolve(request.result);
      };
      tx.onerror = () => {
        db.close();
        reject(tx.error);
      };
    });
  };
  return {
    save: (files, savedAt = Date.now()) => run('readwrite', (store) => store.put({ files, savedAt }, 'pending')),
    read: () => run('readonly', (store) => store.get('pending')),
    clear: () => run('readwrite', (store) => store.delete('pending')),
  };
})();
/** Photos wait at most this long: a queue older than that is not from the report just sent. */
const PHOTO_QUEUE_MS = 30 * 60 * 1000;
const canQueuePhotos = 'indexedDB' in window && typeof DataTransfer === 'function';

for (const picker of document.querySelectorAll('[data-sc-photo-picker]')) {
  const input = picker.querySelector('input[type="file"]');
  const form = input?.form;
  const message = document.getElementById(`${input?.id}-client-error`);
  if (!canQueuePhotos || !input || !form || !message) continue;
  picker.removeAttribute('hidden');
  for (const later of document.querySelectorAll('[data-sc-photo-later]')) later.setAttribute('hidden', '');
  // Whatever waited from an earlier try is not this report's: the person chooses again here.
  void photoQueue.clear().catch(() => undefined);
  const maxFiles = Number(input.getAttribute('data-max-files'));
  const maxBytes = Number(input.getAttribute('data-photo-max-bytes'));
  let sending = false;
  form.addEventListener('submit', (event) => {
    const files = [...(input.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    if (sending) return;
    const text = files.length > maxFiles ? `Select up to ${maxFiles} photos` : files.map((f) => photoProblem(f, input.getAttribute('accept'), maxBytes)).find(Boolean);
    if (text) {
      showFileError(input, message, text);
      return;
    }
    sending = true;
    // If the browser cannot keep them, the report still goes: photos can be added after.
    void photoQueue
      .save(files)
      .catch(() => undefined)
      .finally(() => form.submit());
  });
  window.addEventListener('pageshow', () => {
    sending = false;
  });
}

// On the confirmation page: send the next photo waiting from the form, if any.
const queueStatus = document.getElementById('photo-queue-status');
if (queueStatus && canQueuePhotos) {
  void (async () => {
    const pending = await photoQueue.read().catch(() => undefined);
    if (!pending) return;
    const upload = document.querySelector('input[type="file"][data-max-bytes]');
    const refused = document.querySelector('.govuk-error-summary');
    const files = Array.isArray(pending.files) ? pending.files : [];
    if (!upload?.form || refused || files.length === 0 || Date.now() - pending.savedAt > PHOTO_QUEUE_MS) {
      await photoQueue.clear().catch(() => undefined);
      if (refused && files.length > 1) queueStatus.textContent = 'Your other photos were not sent: you can add them below.';
      return;
    }
    const [next, ...rest] = files;
    await (rest.length ? photoQueue.save(rest, pending.savedAt) : photoQueue.clear());
    queueStatus.textContent = `Adding the photos you chose: ${files.length} still to send…`;
    const chosen = new DataTransfer();
    chosen.items.add(next);
    upload.files = chosen.files;
    upload.form.submit();
  })();
}

// Checks a chosen photo before it is sent, so a person learns at once that it is too big
// or of the wrong type; the server checks again whatever happens here. It also stops a
// double click sending the photo twice, but only once a photo is really on its way: a
// refused one leaves the button ready for the next (govuk-frontend's preventDoubleClick
// would ignore every click for a second after any click, refused or not).
for (const input of document.querySelectorAll('input[type="file"][data-max-bytes]')) {
  const form = input.form;
  const maxBytes = Number(input.getAttribute('data-max-bytes'));
  const message = document.getElementById(`${input.id}-client-error`);
  const problem = (file) => photoProblem(file, input.getAttribute('accept'), maxBytes);
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
    showFileError(input, message, text);
  });
}
