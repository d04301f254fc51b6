// Files chosen on a form that drafts.js keeps (templates/includes/drafts.html): photos shrunk on the device
// before they are sent, and the chosen files kept in IndexedDB so that a resend after a failed upload, or a
// reload, does not need choosing them again. Used by drafts.js through window.SSKUploads.
(function () {
  "use strict";

  const LONG_SIDE = 1600; // px: a photo's longer side after shrinking
  const QUALITY = 0.85; // JPEG quality of a shrunk photo
  const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
  const DB_NAME = "ssk-drafts";
  const STORE = "files";

  // A photo larger than LONG_SIDE as a JPEG of at most LONG_SIDE px; anything else (a PDF, a spreadsheet, a
  // small photo, a picture the browser cannot read) as it was chosen.
  async function shrink(file) {
    if (!PHOTO_TYPES.includes(file.type) || typeof createImageBitmap !== "function") return file;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (error) {
      return file;
    }
    const longest = Math.max(bitmap.width, bitmap.height);
    if (longest <= LONG_SIDE) {
      bitmap.close();
      return file;
    }
    const scale = LONG_SIDE / longest;
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG becomes a JPEG on white, not on black
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", QUALITY);
    });
    if (!blob) return file;
    const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
    return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
  }

  function open() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) {
        reject(new Error("no IndexedDB"));
        return;
      }
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE);
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  // One call on the store; resolves with the request's result. Without IndexedDB (a private window of
  // some browsers) the files are simply not kept: get() gives an empty list.
  async function call(mode, action) {
    let db;
    try {
      db = await open();
    } catch (error) {
      return undefined;
    }
    return new Promise(function (resolve) {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = function () {
        db.close();
        resolve(request.result);
      };
      transaction.onerror = transaction.onabort = function () {
        db.close();
        resolve(undefined);
      };
    });
  }

  window.SSKUploads = {
    shrink: shrink,
    // The files kept under a draft's key: [File, …].
    get: async function (key) {
      const kept = await call("readonly", function (store) {
        return store.get(key);
      });
      return Array.isArray(kept) ? kept : [];
    },
    put: function (key, files) {
      return call("readwrite", function (store) {
        return files.length ? store.put(files, key) : store.delete(key);
      });
    },
    clear: function (key) {
      return call("readwrite", function (store) {
        return store.delete(key);
      });
    },
  };
})();
