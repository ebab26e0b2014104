// The marketer's phone (issue 18): check in at a stop and record the visit's outcome through the API, even
// with the connection gone. Each action gets its own Idempotency-Key (a UUID made when the button is pressed)
// and goes into a queue kept in localStorage before it is sent; the queue is sent in order at once, on the
// `online` event, on page load and every 30 s. A 2xx or 4xx answer takes the item out of the queue (a 4xx
// shows the server's Persian message); a failed fetch, a 5xx, or a 401/403 (signed out while offline) leaves it
// for the next try. The server's
// idempotency makes a replay harmless. Without JavaScript the forms post to the page itself.
(function () {
  "use strict";
  var root = document.querySelector("[data-today]");
  if (!root) return;
  var QUEUE = "aftersales.field.today.queue";
  var banner = root.querySelector("[data-queue-banner]");
  var errorBox = root.querySelector("[data-today-error]");
  var flushing = false;

  function msg(name) { return root.dataset["msg" + name] || ""; }

  function fa(text) {
    return String(text).replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹".charAt(+d); });
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" +
      hex.slice(20);
  }

  // The CSRF cookie first: after signing in again (the session timed out while offline) the page's own token is
  // stale, the cookie is not.
  function token() {
    var cookie = document.cookie.split("; ").filter(function (part) { return part.indexOf("csrftoken=") === 0; })[0];
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    var field = root.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }

  function save(queue) {
    window.localStorage.setItem(QUEUE, JSON.stringify(queue));
    showQueue(queue);
  }

  function card(stopId) { return root.querySelector('[data-stop="' + stopId + '"]'); }

  function setState(stopId, text, tone) {
    var li = card(stopId);
    if (!li) return;
    var badge = li.querySelector("[data-stop-state]");
    badge.textContent = text;
    badge.className = "badge today-state text-bg-" + tone;
  }

  function showQueue(queue) {
    queue = queue || load();
    banner.classList.toggle("d-none", queue.length === 0);
    banner.querySelector("[data-queue-count]").textContent = fa(queue.length);
    queue.forEach(function (item) { setState(item.stop, msg("Queued"), "warning"); });
  }

  function showError(text) {
    errorBox.textContent = text || "";
    errorBox.classList.toggle("d-none", !text);
  }

  function errorText(data) {
    if (!data || typeof data !== "object") return "";
    var parts = [];
    Object.keys(data).forEach(function (key) {
      var value = data[key];
      if (key === "code") return;
      parts.push(Array.isArray(value) ? value.join(" ") : (typeof value === "string" ? value : JSON.stringify(value)));
    });
    return parts.join(" ");
  }

  function done(item, data) {
    if (item.kind === "check_in") {
      var text = msg("CheckedIn") + (data && data.is_far ? " · " + msg("Far") : "");
      setState(item.stop, text, data && data.is_far ? "warning" : "success");
    } else if (item.kind === "outcome") {
      setState(item.stop, msg("Outcome"), "success");
    } else if (item.kind === "skip") {
      setState(item.stop, msg("Skipped"), "secondary");
    }
  }

  function send(item) {
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(item.body),
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token(),
                "Idempotency-Key": item.key}
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server");
      // Signed out (idle session) or a stale CSRF token: keep the queue and ask to sign in again.
      if (response.status === 401 || response.status === 403) throw new Error("signed-out");
      return response.json().catch(function () { return {}; }).then(function (data) {
        return {ok: response.ok, status: response.status, data: data};
      });
    });
  }

  // Sends the queue in order; stops at the first item that cannot be sent (offline, server down).
  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    function next() {
      var queue = load();
      if (!queue.length) return Promise.resolve();
      var item = queue[0];
      return send(item).then(function (answer) {
        save(load().filter(function (other) { return other.key !== item.key; }));
        if (answer.ok) {
          done(item, answer.data);
        } else {
          setState(item.stop, msg("Failed"), "danger");
          showError(msg("Failed") + " " + errorText(answer.data));
        }
        return next();
      });
    }
    return next().catch(function (error) {
      if (error && error.message === "signed-out") showError(msg("SignIn"));
      showQueue();
    }).then(function () { flushing = false; showQueue(); });
  }

  function enqueue(item) {
    var queue = load();
    queue.push(item);
    save(queue);
    return flush();
  }

  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      var settled = false;
      var timer = window.setTimeout(function () { if (!settled) { settled = true; resolve(null); } }, 8000);
      navigator.geolocation.getCurrentPosition(function (where) {
        if (settled) return;
        settled = true;
        window.clearTimeout(timer);
        resolve(where.coords);
      }, function () {
        if (settled) return;
        settled = true;
        window.clearTimeout(timer);
        resolve(null);
      }, {enableHighAccuracy: true, timeout: 6000, maximumAge: 60000});
    });
  }

  function nextStop(li) {
    var cards = Array.prototype.slice.call(root.querySelectorAll("[data-stop]"));
    var after = cards.slice(cards.indexOf(li) + 1).concat(cards.slice(0, cards.indexOf(li)));
    var target = after.filter(function (other) { return other.dataset.status === "planned"; })[0];
    if (!target) { showError(""); window.alert(msg("Done")); return; }
    target.scrollIntoView({behavior: "smooth", block: "start"});
    var button = target.querySelector("[data-testid=check-in]");
    if (button) button.focus({preventScroll: true});
  }

  function checkIn(form, li) {
    var key = uuid();
    var button = form.querySelector("button");
    button.disabled = true;
    setState(li.dataset.stop, msg("Locating"), "info");
    var at = new Date().toISOString();
    return position().then(function (coords) {
      var body = {stop: +li.dataset.stop, at: at};
      if (coords) {
        body.latitude = coords.latitude.toFixed(6);
        body.longitude = coords.longitude.toFixed(6);
        body.accuracy_m = Math.round(coords.accuracy || 0);
      }
      form.classList.add("d-none");
      var skipWrap = li.querySelector("[data-skip-wrap]");
      if (skipWrap) skipWrap.classList.add("d-none");
      li.dataset.status = "visited";
      li.classList.add("is-done");
      var outcome = li.querySelector("[data-action=outcome]");
      if (outcome) outcome.classList.remove("d-none");
      li.querySelector("[data-next-wrap]").classList.remove("d-none");
      return enqueue({kind: "check_in", key: key, stop: li.dataset.stop, url: root.dataset.checkInUrl, body: body});
    });
  }

  function outcome(form, li) {
    var data = new FormData(form);
    var answers = [];
    form.querySelectorAll("[data-question]").forEach(function (row) {
      var field = row.querySelector("input, select, textarea");
      if (field && field.value.trim()) answers.push({question: +row.dataset.question, answer: field.value.trim()});
    });
    var body = {outcome: data.get("outcome") || "", notes: (data.get("notes") || "").trim(), answers: answers,
                next_step: (data.get("next_step") || "").trim()};
    form.classList.add("d-none");
    return enqueue({kind: "outcome", key: uuid(), stop: li.dataset.stop,
                    url: root.dataset.outcomeUrl.replace("/0/", "/" + li.dataset.stop + "/"), body: body});
  }

  function skip(form, li) {
    var reason = (new FormData(form).get("reason") || "").trim();
    li.querySelector("[data-skip-wrap]").classList.add("d-none");
    var checkInForm = li.querySelector("[data-action=check_in]");
    if (checkInForm) checkInForm.classList.add("d-none");
    li.dataset.status = "skipped";
    li.querySelector("[data-next-wrap]").classList.remove("d-none");
    return enqueue({kind: "skip", key: uuid(), stop: li.dataset.stop,
                    url: root.dataset.skipUrl.replace("/0/", "/" + li.dataset.stop + "/"), body: {reason: reason}});
  }

  root.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-action]");
    if (!form) return;
    event.preventDefault();
    showError("");
    var li = form.closest("[data-stop]");
    if (form.dataset.action === "check_in") checkIn(form, li);
    else if (form.dataset.action === "outcome") outcome(form, li);
    else if (form.dataset.action === "skip") skip(form, li);
  });

  root.addEventListener("click", function (event) {
    var link = event.target.closest("[data-next]");
    if (!link) return;
    event.preventDefault();
    nextStop(link.closest("[data-stop]"));
  });

  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  showQueue();
  flush();
})();
