// The API key of a commons serve that has one (Serve:ApiKey): asked for once, sent as Bearer on every
// call. Loaded before app.js, which calls authorizedFetch; plain browser JavaScript, no build step.
"use strict";

// Kept for this tab only: sessionStorage ends with the tab, and no other site can read it.
const keyName = "commons.apiKey";
let askingForKey = null;

function withKey(headers = {}) {
  const key = sessionStorage.getItem(keyName);
  return key ? { ...headers, Authorization: `Bearer ${key}` } : headers;
}

// One question for all the calls that were refused at the same time.
function askForKey(refused) {
  askingForKey ??= new Promise((resolve) => {
    const dialog = document.querySelector("#key-dialog");
    const input = document.querySelector("#api-key");
    document.querySelector("#key-refused").hidden = !refused;
    document.querySelector("#key-form").onsubmit = (e) => {
      e.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      sessionStorage.setItem(keyName, key);
      input.value = "";
      dialog.close();
      askingForKey = null;
      resolve();
    };
    // Without the key the page can do nothing: Escape does not dismiss the question.
    dialog.oncancel = (e) => e.preventDefault();
    dialog.showModal();
    input.focus();
  });
  return askingForKey;
}

// fetch with the key; a 401 asks for the key and tries again.
async function authorizedFetch(path, init = {}) {
  for (;;) {
    const response = await fetch(path, { ...init, headers: withKey(init.headers) });
    if (response.status !== 401) return response;
    await askForKey(sessionStorage.getItem(keyName) !== null);
  }
}

