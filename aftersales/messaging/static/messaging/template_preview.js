// Live preview of a message template in the admin: sample values, SMS part count, unknown variables,
// and the text a customer gets when every value is missing (the template's fallbacks over the variables').
(function () {
  "use strict";
  const body = document.getElementById("id_body");
  if (!body) return;
  const samples = JSON.parse(document.getElementById("preview-samples").textContent);
  const ownFallbacks = JSON.parse(document.getElementById("preview-fallbacks").textContent);
  const fallbacksField = document.getElementById("id_fallbacks");
  const unknownLabel = JSON.parse(document.getElementById("preview-unknown-label").textContent);
  const known = new Set(Array.from(document.querySelectorAll("[data-variable]")).map((el) => el.dataset.variable));
  const gsm = new Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€");
  const persianDigits = (n) => String(n).replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  const place = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;
  const dropped = "\u0000";

  function parts(text) {
    if (!text) return 0;
    const isGsm = Array.from(text).every((ch) => gsm.has(ch));
    const length = text.length; // UTF-16 code units, as the gateway counts
    const single = isGsm ? 160 : 70;
    const multi = isGsm ? 153 : 67;
    return length <= single ? 1 : Math.ceil(length / multi);
  }

  function templateFallbacks() {
    if (!fallbacksField || !fallbacksField.value.trim()) return {};
    try {
      const value = JSON.parse(fallbacksField.value);
      return value && typeof value === "object" && !Array.isArray(value) ? value : {};
    } catch (error) {
      return {};
    }
  }

  // As the server's templating.fill: a text fallback, "" left out with its spaces, null held.
  function withFallbacks(text) {
    const fallbacks = Object.assign({}, ownFallbacks, templateFallbacks());
    const held = new Set();
    const filled = text.replace(place, (match, name) => {
      const fallback = Object.prototype.hasOwnProperty.call(fallbacks, name) ? fallbacks[name] : null;
      if (fallback === null) {
        held.add(name);
        return match;
      }
      return String(fallback).trim() || dropped;
    });
    const lines = filled.split("\n").flatMap((line) => {
      if (!line.includes(dropped)) return [line];
      const tidy = line.replace(/[ \t]*\u0000[ \t]*/g, " ").trim();
      return tidy ? [tidy] : [];
    });
    return {text: lines.join("\n"), held: Array.from(held)};
  }

  function update() {
    const unknown = new Set();
    const text = body.value.replace(place, (match, name) => {
      if (!known.has(name)) unknown.add(name);
      return samples[name] !== undefined ? samples[name] : "";
    });
    document.getElementById("preview-text").textContent = text;
    document.getElementById("preview-parts").textContent = persianDigits(parts(text));
    document.getElementById("preview-length").textContent = persianDigits(text.length);
    document.getElementById("preview-unknown").textContent = unknown.size ? " " + unknownLabel + " " + Array.from(unknown).join("، ") : "";
    const missing = withFallbacks(body.value);
    document.getElementById("preview-fallback-text").textContent = missing.text;
    const held = document.getElementById("preview-held");
    held.hidden = missing.held.length === 0;
    held.querySelector("span").textContent = missing.held.map((name) => "{" + name + "}").join("، ");
  }

  body.addEventListener("input", update);
  if (fallbacksField) fallbacksField.addEventListener("input", update);
  update();
})();
