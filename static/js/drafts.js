// Drafts that survive a bad connection, on a <form data-draft="what:pk" data-draft-user="user id"> that
// includes templates/includes/drafts.html (the update form, the follow-up status form).
//
// - What is typed is kept in localStorage as it is typed, under the user's id, the form and its record (so
//   two users of one device never see each other's drafts), and put back after a reload, a lost connection
//   or an expired session, with a notice and "Discard draft". It is removed once the server saved the form.
// - Chosen files are kept in IndexedDB (uploads.js) and photos shrunk before sending unless the officer
//   keeps the originals.
// - The form is sent by XMLHttpRequest with the header X-Draft-Submit, so the page shows the upload's
//   progress, says when the connection is lost and sends again when it is back. The form's one-time token
//   (milestones/forms/edits.py) makes a resend whose first answer was lost land on what the first one saved.
//   The server answers a redirect as JSON (ssk_tracker/lib/kept_forms.py, ScriptSubmitMiddleware); a form
//   with errors comes back as a page whose <main> replaces this one's.
//
// Without JavaScript, or without this file, the form is sent as an ordinary form.
(function () {
  "use strict";

  const PREFIX = "ssk-draft:";
  const NOT_KEPT = ["csrfmiddlewaretoken", "form_token", "version", "loaded_values"];
  const RETRY_MS = 5000; // a failed send while online is tried again after this long

  function keyOf(form) {
    return PREFIX + form.dataset.draftUser + ":" + form.dataset.draft;
  }

  function keptElements(form) {
    return Array.from(form.elements).filter(function (element) {
      return (
        element.name &&
        !NOT_KEPT.includes(element.name) &&
        !["file", "submit", "button", "reset", "hidden", "password"].includes(element.type) &&
        !element.disabled
      );
    });
  }

  // The form's values: {name: [value, …]}; a checkbox group or a multiple select lists what is chosen.
  function snapshot(form) {
    const fields = {};
    keptElements(form).forEach(function (element) {
      const values = fields[element.name] || (fields[element.name] = []);
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) values.push(element.value);
      } else if (element.type === "select-multiple") {
        Array.from(element.selectedOptions).forEach(function (option) {
          values.push(option.value);
        });
      } else {
        values.push(element.value);
      }
    });
    return fields;
  }

  function apply(form, fields) {
    const seen = {};
    keptElements(form).forEach(function (element) {
      const values = fields[element.name];
      if (!Array.isArray(values)) return;
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.includes(element.value);
      } else if (element.type === "select-multiple") {
        Array.from(element.options).forEach(function (option) {
          option.selected = values.includes(option.value);
        });
      } else {
        const index = seen[element.name] || 0;
        seen[element.name] = index + 1;
        if (index < values.length) element.value = values[index];
      }
      // Fields that show or hide others by their value (the follow-up's status) hear the change.
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function readDraft(key, user) {
    try {
      const draft = JSON.parse(localStorage.getItem(key) || "null");
      return draft && draft.user === user && draft.fields ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function when(time) {
    const date = new Date(time);
    const lang = document.documentElement.lang || undefined;
    const clock = date.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
    if (date.toDateString() === new Date().toDateString()) return clock;
    return date.toLocaleDateString(lang, { day: "numeric", month: "short" }) + " " + clock;
  }

  function size(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / 1024 / 1024).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function init(form, options) {
    const box = form.querySelector("[data-draft-box]");
    try {
      if (!box || !window.localStorage) return;
    } catch (error) {
      return; // storage is blocked (some private windows): the form is sent as an ordinary form
    }
    const key = keyOf(form);
    const user = form.dataset.draftUser;
    const text = box.dataset;
    const find = function (name) {
      return box.querySelector("[data-draft-" + name + "]");
    };
    const notice = find("notice");
    const status = find("status");
    const progress = find("progress");
    const retry = find("retry");
    const photos = find("photos");
    const list = find("files");
    const keepOriginal = find("keep-original");
    const input = form.querySelector("input[type=file]");
    let files = []; // the chosen files (originals), kept in IndexedDB
    let sending = false;
    let waiting = false; // a send is owed: it goes when the connection is back
    let retryTimer = null;
    let submitter = null;

    const uploads = window.SSKUploads;

    function say(message, { canRetry = false, showProgress = false } = {}) {
      status.hidden = !message;
      find("status-text").textContent = message || "";
      retry.hidden = !canRetry;
      progress.hidden = !showProgress;
      status.classList.toggle("alert-warning", canRetry || !navigator.onLine);
      status.classList.toggle("alert-light", !canRetry && navigator.onLine);
    }

    function save() {
      localStorage.setItem(key, JSON.stringify({ user: user, savedAt: Date.now(), fields: snapshot(form) }));
    }

    function showNotice(time) {
      find("notice-text").textContent = text.textRestored + " — " + when(time);
      notice.hidden = false;
    }

    function showFiles() {
      list.replaceChildren();
      list.hidden = files.length === 0;
      if (files.length) {
        const head = document.createElement("li");
        head.className = "list-unstyled";
        head.textContent = text.textKeptFiles;
        list.appendChild(head);
      }
      files.forEach(function (file, index) {
        const item = document.createElement("li");
        item.textContent = file.name + " (" + size(file.size) + ") ";
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-link btn-sm text-danger p-0 ms-1";
        remove.textContent = text.textRemove;
        remove.addEventListener("click", function () {
          files.splice(index, 1);
          keepFiles();
        });
        item.appendChild(remove);
        list.appendChild(item);
      });
    }

    function keepFiles() {
      showFiles();
      if (uploads) uploads.put(key, files);
      save();
    }

    async function clearAll() {
      localStorage.removeItem(key);
      files = [];
      if (uploads) await uploads.clear(key);
    }

    // --- Sending ------------------------------------------------------------------------------------

    async function body() {
      const data = new FormData(form);
      if (input) {
        data.delete(input.name);
        for (const file of files) {
          const sent = keepOriginal.checked || !uploads ? file : await uploads.shrink(file);
          data.append(input.name, sent, sent.name);
        }
      }
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
      return data;
    }

    function owe() {
      waiting = true;
      say(text.textOffline, { canRetry: true });
    }

    // The request failed: no answer came (``lost``: the line dropped, the server was unreachable) or the
    // server answered with an error page. Only a lost one is sent again by itself.
    function failed(lost) {
      sending = false;
      if (!navigator.onLine) {
        owe();
        return;
      }
      waiting = lost;
      say(text.textFailed, { canRetry: true });
      clearTimeout(retryTimer);
      if (lost) retryTimer = setTimeout(send, RETRY_MS);
    }

    function lost() {
      failed(true);
    }

    async function answered(request) {
      sending = false;
      const type = request.getResponseHeader("Content-Type") || "";
      if (type.startsWith("application/json")) {
        let answer = null;
        try {
          answer = JSON.parse(request.responseText);
        } catch (error) {
          answer = null;
        }
        if (answer && answer.redirect) {
          if (answer.login) {
            say(text.textLogin);
          } else {
            await clearAll(); // the server saved it: the draft on the device has done its work
          }
          window.location.assign(answer.redirect);
          return;
        }
      }
      const page = new DOMParser().parseFromString(request.responseText || "", "text/html");
      const main = page.querySelector("main");
      if (type.startsWith("text/html") && main && request.status < 500) {
        // The server's own page (the form with its errors, a refusal): shown in place of this one.
        const here = document.querySelector("main");
        here.replaceChildren(...Array.from(main.childNodes).map((node) => document.importNode(node, true)));
        const again = here.querySelector("form[data-draft]");
        if (again) init(again, { afterError: true });
        here.scrollIntoView();
        return;
      }
      failed(false);
    }

    async function send() {
      clearTimeout(retryTimer);
      if (sending) return;
      if (!navigator.onLine) {
        owe();
        return;
      }
      sending = true;
      waiting = false;
      if (files.length && !keepOriginal.checked) say(text.textPreparing, { showProgress: true });
      let data;
      try {
        data = await body();
      } catch (error) {
        sending = false;
        say(text.textFailed, { canRetry: true });
        return;
      }
      say(text.textSending, { showProgress: true });
      progress.value = 0;
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Draft-Submit", "1");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) progress.value = Math.round((100 * event.loaded) / event.total);
      });
      request.addEventListener("load", function () {
        answered(request);
      });
      request.addEventListener("error", lost);
      request.addEventListener("timeout", lost);
      request.addEventListener("abort", lost);
      request.send(data);
    }

    // --- Wiring -------------------------------------------------------------------------------------

    if (input) {
      input.after(photos);
      photos.hidden = false;
      input.addEventListener("change", function () {
        files = files.concat(Array.from(input.files));
        input.value = ""; // the files travel in the kept list, not in the input
        keepFiles();
      });
    }
    form.addEventListener("input", save);
    form.addEventListener("change", function (event) {
      if (event.target !== input && event.target !== keepOriginal && event.isTrusted) save();
    });
    find("discard").addEventListener("click", async function () {
      await clearAll();
      form.reset();
      showFiles();
      notice.hidden = true;
      say("");
    });
    retry.addEventListener("click", send);
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return; // a confirmation was declined (app.js)
      event.preventDefault();
      submitter = event.submitter || null;
      save();
      send();
    });
    window.addEventListener("offline", function () {
      if (waiting || sending) say(text.textOffline, { canRetry: true });
      else say(text.textOfflineIdle);
    });
    window.addEventListener("online", function () {
      if (waiting) send();
      else say("");
    });

    // --- What this device kept --------------------------------------------------------------------

    const draft = readDraft(key, user);
    if (draft && !(options && options.afterError)) {
      apply(form, draft.fields);
      showNotice(draft.savedAt);
    }
    if (uploads) {
      uploads.get(key).then(function (kept) {
        files = kept.concat(files);
        showFiles();
        if (kept.length && notice.hidden && !(options && options.afterError)) {
          showNotice(draft ? draft.savedAt : Date.now());
        }
      });
    }
    if (!navigator.onLine) say(text.textOfflineIdle);
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    init(form);
  });
})();
