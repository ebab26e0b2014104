// The workflow designer's chart (workflow/designer.html): select a state or an arrow, drag a state to move
// it, drag from a state's handle (or use "draw an arrow" and click two states) to add a step. Every change
// is an htmx request that answers with the designer's body (#wf-designer) again. No inline script: the
// URLs and texts come from the root's data- attributes.
(function () {
  "use strict";
  var SNAP = 10, THRESHOLD = 4, KEY_STEP = 20;
  var drag = null, draw = { on: false, source: null }, refocus = null;
  // htmx carries an old element's style attribute over to its replacement while settling; a page script
  // that touched an input's style (the date picker's focus handling) would make that an inline style the
  // Content-Security-Policy refuses. The designer's swaps need no style transition.
  if (window.htmx) window.htmx.config.attributesToSettle = ["class", "width", "height"];

  function root() { return document.getElementById("wf-designer"); }

  function send(method, url, values) {
    var el = root();
    if (!el || !window.htmx) return;
    window.htmx.ajax(method, url, { source: el, target: "#wf-designer", swap: "outerHTML", values: values || {} });
  }

  function select(kind, key) {
    var el = root();
    var query = kind === "state" ? "state=" + encodeURIComponent(key) : "transition=" + encodeURIComponent(key);
    send("GET", el.dataset.selectUrl + "?" + query);
  }

  function svgPoint(svg, event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX; point.y = event.clientY;
    var matrix = svg.getScreenCTM();
    return matrix ? point.matrixTransform(matrix.inverse()) : point;
  }

  function snap(value) { return Math.max(0, Math.round(value / SNAP) * SNAP); }

  function stateAt(event) {
    var hit = document.elementFromPoint(event.clientX, event.clientY);
    return hit ? hit.closest("[data-state]") : null;
  }

  function setStatus(text) {
    var box = document.querySelector("[data-wf-draw-status]");
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  }

  function setDrawing(on) {
    draw.on = on; draw.source = null;
    var button = document.querySelector("[data-wf-draw]");
    var chart = document.querySelector("[data-wf-chart] svg");
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); button.classList.toggle("active", on); }
    if (chart) chart.classList.toggle("wf-drawing", on);
    document.querySelectorAll(".wf-pick-source").forEach(function (g) { g.classList.remove("wf-pick-source"); });
    setStatus(on ? root().dataset.textPickSource : "");
  }

  function connect(source, target) {
    send("POST", root().dataset.connectUrl, { source: source, target: target });
  }

  function pickForArrow(code, g) {
    if (!draw.source) {
      draw.source = code;
      if (g) g.classList.add("wf-pick-source");
      setStatus(root().dataset.textPickTarget);
      return;
    }
    var source = draw.source;
    setDrawing(false);
    connect(source, code);
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-wf-draw]")) { setDrawing(!draw.on); return; }
    var chart = event.target.closest("[data-wf-chart]");
    if (!chart) return;
    var transition = event.target.closest("[data-transition]");
    if (transition && !draw.on) select("transition", transition.dataset.transition);
  });

  document.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) return;
    var svg = event.target.closest("[data-wf-chart] svg");
    if (!svg) return;
    var handle = event.target.closest("[data-handle]");
    var g = event.target.closest("[data-state]");
    if (!g) return;
    event.preventDefault();
    var start = svgPoint(svg, event);
    drag = { svg: svg, g: g, code: g.dataset.state, start: start, moved: false, arrow: !!handle && !draw.on,
             x: Number(g.dataset.x), y: Number(g.dataset.y), line: null };
    if (drag.arrow) {
      var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      line.setAttribute("class", "wf-draw-line");
      line.setAttribute("x1", start.x); line.setAttribute("y1", start.y);
      line.setAttribute("x2", start.x); line.setAttribute("y2", start.y);
      svg.appendChild(line);
      drag.line = line;
    }
    if (svg.setPointerCapture) { try { svg.setPointerCapture(event.pointerId); } catch (e) { /* not capturable */ } }
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var point = svgPoint(drag.svg, event);
    var dx = point.x - drag.start.x, dy = point.y - drag.start.y;
    if (!drag.moved && Math.abs(dx) < THRESHOLD && Math.abs(dy) < THRESHOLD) return;
    drag.moved = true;
    if (drag.line) {
      drag.line.setAttribute("x2", point.x); drag.line.setAttribute("y2", point.y);
    } else if (!draw.on) {
      drag.g.classList.add("wf-dragging");
      drag.g.setAttribute("transform", "translate(" + (snap(drag.x + dx) - drag.x) + "," + (snap(drag.y + dy) - drag.y) + ")");
    }
  });

  document.addEventListener("pointerup", function (event) {
    if (!drag) return;
    var current = drag;
    drag = null;
    if (current.line) current.line.remove();
    var point = svgPoint(current.svg, event);
    if (current.arrow) {
      if (!current.moved) { select("state", current.code); return; }
      var target = stateAt(event);
      if (target) connect(current.code, target.dataset.state);
      return;
    }
    if (draw.on) { pickForArrow(current.code, current.g); return; }
    if (!current.moved) { select("state", current.code); return; }
    var x = snap(current.x + point.x - current.start.x), y = snap(current.y + point.y - current.start.y);
    send("POST", root().dataset.moveUrl, { state: current.code, x: x, y: y });
  });

  document.addEventListener("pointercancel", function () {
    if (drag && drag.line) drag.line.remove();
    if (drag) drag.g.removeAttribute("transform");
    drag = null;
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && draw.on) { setDrawing(false); return; }
    var target = event.target;
    if (!target.closest || !target.closest("[data-wf-chart]")) return;
    var state = target.closest("[data-state]"), transition = target.closest("[data-transition]");
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (state && draw.on) pickForArrow(state.dataset.state, state);
      else if (state) { refocus = "[data-state='" + state.dataset.state + "']"; select("state", state.dataset.state); }
      else if (transition) { refocus = "[data-transition='" + transition.dataset.transition + "']"; select("transition", transition.dataset.transition); }
      return;
    }
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (state && moves[event.key]) {
      event.preventDefault();
      var step = event.shiftKey ? KEY_STEP * 3 : KEY_STEP;
      var x = Math.max(0, Number(state.dataset.x) + moves[event.key][0] * step);
      var y = Math.max(0, Number(state.dataset.y) + moves[event.key][1] * step);
      refocus = "[data-state='" + state.dataset.state + "']";
      send("POST", root().dataset.moveUrl, { state: state.dataset.state, x: x, y: y });
    }
  });

  // Scroll the chart's box (not the page) so that the selected state or arrow is in sight.
  function reveal() {
    var el = root();
    var box = el && el.querySelector("[data-wf-chart]");
    var chosen = box && box.querySelector("[data-selected]");
    if (!chosen) return;
    var r = chosen.getBoundingClientRect(), b = box.getBoundingClientRect(), margin = 24;
    if (r.left < b.left) box.scrollLeft -= b.left - r.left + margin;
    else if (r.right > b.right) box.scrollLeft += r.right - b.right + margin;
    if (r.top < b.top) box.scrollTop -= b.top - r.top + margin;
    else if (r.bottom > b.bottom) box.scrollTop += r.bottom - b.bottom + margin;
  }

  // After each swap: keep the keyboard's place, and bring the selected state or arrow into view.
  document.addEventListener("htmx:afterSettle", function () {
    var el = root();
    if (!el) return;
    draw.on = false; draw.source = null;
    var focusTarget = refocus && el.querySelector("[data-wf-chart] " + refocus);
    refocus = null;
    if (focusTarget && focusTarget.focus) focusTarget.focus({ preventScroll: true });
    reveal();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
})();
