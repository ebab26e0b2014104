// Live preview of a message template in the admin: sample values, SMS part count, unknown variables.
(function () {
  "use strict";
  const body = document.getElementById("id_body");
  if (!body) return;
  const samples = JSON.parse(document.getElementById("preview-samples").textContent);
  const unknownLabel = JSON.parse(document.getElementById("preview-unknown-label").textContent);
  const known = new Set(Array.from(document.querySelectorAll("[data-variable]")).map((el) => el.dataset.variable));
  const gsm = new Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€");
  const persianDigits = (n) => String(n).replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);

  function parts(text) {
    if (!text) return 0;
    const isGsm = Array.from(text).every((ch) => gsm.has(ch));
    const length = isGsm ? text.length : text.length; // UTF-16 code units, as the gateway counts
    const single = isGsm ? 160 : 70;
    const multi = isGsm ? 153 : 67;
    return length <= single ? 1 : Math.ceil(length / multi);
  }

  function update() {
    const unknown = new Set();
    const text = body.value.replace(/\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, (match, name) => {
      if (!known.has(name)) unknown.add(name);
      return samples[name] !== undefined ? samples[name] : "";
    });
    document.getElementById("preview-text").textContent = text;
    document.getElementById("preview-parts").textContent = persianDigits(parts(text));
    document.getElementById("preview-length").textContent = persianDigits(text.length);
    document.getElementById("preview-unknown").textContent = unknown.size ? " " + unknownLabel + " " + Array.from(unknown).join("، ") : "";
  }

  body.addEventListener("input", update);
  update();
})();
