// Draws a report's chart from the JSON its page embeds (Chart.js served from npm's copy, never a CDN).
// A click on a bar or point opens the records behind it; a Pareto adds the cumulative share line.
(function () {
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var holder = document.getElementById(canvas.dataset.chart);
    if (!holder || !window.Chart) return;
    var data = JSON.parse(holder.textContent);
    if (!data) return;
    var rtl = document.documentElement.dir === "rtl";
    var locale = rtl ? "fa-IR" : "en-US";
    var colours = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#198754"];
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    var pareto = data.kind === "pareto";
    var datasets = data.series.map(function (series, index) {
      var line = series.kind === "line" || (data.kind === "line" && series.kind !== "bar");
      return {
        type: line ? "line" : "bar", label: series.label, data: series.data,
        yAxisID: series.axis === "share" ? "share" : "y", stack: series.stack,
        borderColor: colours[index % colours.length], backgroundColor: colours[index % colours.length],
        borderWidth: line ? 2 : 0, pointRadius: line ? 3 : 0, tension: 0.2, order: line ? 0 : 1,
      };
    });
    var scales = {
      x: {
        reverse: rtl, stacked: datasets.some(function (d) { return d.stack; }),
        // A long name (a center's) is cut under its bar; the tooltip shows it whole.
        ticks: { callback: function (value) {
          var label = String(this.getLabelForValue(value));
          return label.length > 20 ? label.slice(0, 19) + "…" : label;
        } },
      },
      y: {
        position: rtl ? "right" : "left", beginAtZero: true, stacked: datasets.some(function (d) { return d.stack; }),
        ticks: { callback: function (v) { return Number(v).toLocaleString(locale); } },
      },
    };
    if (pareto || datasets.some(function (d) { return d.yAxisID === "share"; })) {
      scales.share = {
        position: rtl ? "left" : "right", min: 0, max: 100, grid: { drawOnChartArea: false },
        ticks: { callback: function (v) { return Number(v).toLocaleString(locale) + "٪"; } },
      };
    }
    var chart = new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: {
          legend: { rtl: rtl, position: "bottom" },
          tooltip: { rtl: rtl, callbacks: { label: function (item) {
            return item.dataset.label + ": " + Number(item.raw).toLocaleString(locale);
          } } },
        },
        scales: scales,
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length && data.links[elements[0].index] ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (!elements.length) return;
          var link = (data.links || [])[elements[0].index];
          if (link) window.location.href = link;
        },
      },
    });
    canvas.chart = chart;
  });
})();
