// A call ringing at the agent's extension pops the caller's panel summary up on whatever page is open.
// Loaded only for users who have an extension; the poll's URL comes on the script tag (data-poll), as the
// Content-Security-Policy allows no inline script.
(function () {
  var script = document.currentScript;
  var url = script && script.dataset.poll;
  if (!url || !window.fetch) return;
  var every = Number(script.dataset.every) || 3000;
  var box = document.createElement("div");
  box.className = "toast-container position-fixed bottom-0 end-0 p-3";
  box.setAttribute("data-testid", "call-popups");
  document.addEventListener("DOMContentLoaded", function () { document.body.appendChild(box); });
  if (document.readyState !== "loading") document.body.appendChild(box);

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-call-close]");
    if (close) {
      var toast = close.closest(".crm-call");
      if (toast) toast.remove();
    }
  });

  var timer = null;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) { stop(); return ""; }
        if (response.status !== 200) return "";
        if (response.redirected) { stop(); return ""; }  // logged out: the login page answered
        return response.text();
      })
      .then(function (html) {
        if (!html) return;
        var holder = document.createElement("div");
        holder.innerHTML = html;
        Array.prototype.slice.call(holder.querySelectorAll(".crm-call")).forEach(function (toast) {
          box.insertBefore(toast, box.firstChild);
        });
      })
      .catch(function () { /* the network drops now and then: the next poll tries again */ });
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; } }
  timer = setInterval(poll, every);
  poll();
})();
