// The kanban board of a marketing workflow (issue 16): drag a card to another column, or choose the stage in
// the card's «move to…» list (phones, keyboards). The server takes the workflow's step between the two stages;
// on a refusal the card goes back and the workflow's reason shows; a step that asks for a comment asks for it
// in a dialog and is sent again. No inline script: the page marks its parts with data attributes.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) return;
  var banner = board.querySelector("[data-board-message]");
  var dialog = board.querySelector("[data-comment-dialog]");
  var dragged = null;
  var pending = null; // the move waiting for its comment: {card, target}

  function token() {
    var field = board.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function say(text, ok) {
    if (!banner) return;
    banner.textContent = text || "";
    banner.classList.toggle("d-none", !text);
    banner.classList.toggle("alert-success", !!ok);
    banner.classList.toggle("alert-danger", !ok);
    if (text && !ok && banner.scrollIntoView) banner.scrollIntoView({block: "nearest"});
  }

  function column(statePk) {
    return board.querySelector('.board-column[data-state="' + statePk + '"]');
  }

  function place(card, col) {
    var list = col.querySelector("[data-cards]");
    list.insertBefore(card, list.querySelector(".board-more"));
  }

  function counts(entries) {
    Object.keys(entries || {}).forEach(function (pk) {
      var col = column(pk);
      var badge = col && col.querySelector("[data-count]");
      if (badge) badge.textContent = entries[pk].display;
    });
  }

  function fromHtml(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }

  function goBack(card, home) {
    var next = home.next && home.next.parentNode === home.list ? home.next : home.list.querySelector(".board-more");
    home.list.insertBefore(card, next);
  }

  function move(card, target, comment) {
    var source = card.closest(".board-column");
    if (!source || String(source.dataset.state) === String(target)) return;
    var home = {list: card.parentNode, next: card.nextElementSibling};
    var col = column(target);
    if (col) place(card, col);
    card.classList.add("is-moving");
    say("", true);
    var body = new FormData();
    body.append("party", card.dataset.party);
    body.append("state", target);
    body.append("version", card.dataset.version);
    if (comment) body.append("comment", comment);
    fetch(board.dataset.moveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": token(), "Accept": "application/json"}
    }).then(function (response) {
      return response.json().catch(function () { return {ok: false, message: board.dataset.failed}; });
    }).then(function (data) {
      card.classList.remove("is-moving");
      if (data.ok) {
        var fresh = fromHtml(data.card);
        card.replaceWith(fresh);
        if (window.htmx) window.htmx.process(fresh);
        counts(data.counts);
        say(data.message, true);
        return;
      }
      goBack(card, home);
      if (data.needs_comment && dialog && dialog.showModal) {
        ask(card, target, data);
        return;
      }
      say(data.message || board.dataset.failed, false);
    }).catch(function () {
      card.classList.remove("is-moving");
      goBack(card, home);
      say(board.dataset.failed, false);
    });
  }

  function ask(card, target, data) {
    pending = {card: card, target: target};
    dialog.querySelector("[data-comment-title]").textContent = data.step || "";
    dialog.querySelector("[data-comment-reason]").textContent = data.message || "";
    var text = dialog.querySelector("[data-comment-text]");
    text.value = "";
    dialog.returnValue = "";
    dialog.showModal();
    text.focus();
  }

  if (dialog) {
    dialog.addEventListener("close", function () {
      var text = dialog.querySelector("[data-comment-text]").value.trim();
      var move_ = pending;
      pending = null;
      if (move_ && dialog.returnValue === "ok" && text) move(move_.card, move_.target, text);
    });
  }

  // Drag and drop (a mouse or a pen; phones use the list on the card).
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".board-card[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.party);
    card.querySelectorAll("[data-move-select] option[value]").forEach(function (option) {
      var col = option.value && column(option.value);
      if (col) col.classList.add("is-target");
    });
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    board.querySelectorAll(".board-column.is-target, .board-column.is-over").forEach(function (col) {
      col.classList.remove("is-target", "is-over");
    });
  });
  board.addEventListener("dragover", function (event) {
    var col = dragged && event.target.closest && event.target.closest(".board-column");
    if (!col) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    col.classList.add("is-over");
  });
  board.addEventListener("dragleave", function (event) {
    var col = event.target.closest && event.target.closest(".board-column");
    if (col && !col.contains(event.relatedTarget)) col.classList.remove("is-over");
  });
  board.addEventListener("drop", function (event) {
    var col = dragged && event.target.closest && event.target.closest(".board-column");
    if (!col) return;
    event.preventDefault();
    col.classList.remove("is-over");
    move(dragged, col.dataset.state);
  });

  // The card's «move to…» list and its button.
  board.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-move-form]");
    if (!form) return;
    event.preventDefault();
    var select = form.querySelector("[data-move-select]");
    if (!select.value) {
      say(board.dataset.choose, false);
      select.focus();
      return;
    }
    move(form.closest(".board-card"), select.value);
  });

  // A page loaded by «more» may hold a card moved here meanwhile: keep the newer of the two.
  if (window.htmx) {
    window.htmx.onLoad(function (root) {
      if (!root.querySelectorAll) return;
      var cards = root.matches && root.matches(".board-card") ? [root] : root.querySelectorAll(".board-card");
      Array.prototype.forEach.call(cards, function (card) {
        board.querySelectorAll('.board-card[data-party="' + card.dataset.party + '"]').forEach(function (other) {
          if (other === card) return;
          var older = Number(other.dataset.version) > Number(card.dataset.version) ? card : other;
          older.remove();
        });
      });
    });
  }
})();
