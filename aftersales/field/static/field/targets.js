// The plan's chart: a target's cumulative achievement per day against the straight line to its value,
// drawn from the JSON the page embeds (Chart.js from npm's copy, never a CDN). The select picks the target.
(function () {
  var canvas = document.getElementById("target-chart");
  var holder = canvas && document.getElementById(canvas.dataset.chart);
  if (!holder || !window.Chart) return;
  var data = JSON.parse(holder.textContent);
  if (!data || !data.targets.length) return;
  var rtl = document.documentElement.dir === "rtl";
  var locale = rtl ? "fa-IR" : "en-US";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  function datasets(target) {
    return [
      { label: data.achievedLabel, data: target.achieved, borderColor: "#0d6efd", backgroundColor: "#0d6efd",
        borderWidth: 2, pointRadius: 0, tension: 0.1 },
      { label: data.paceLabel, data: target.pace, borderColor: "#adb5bd", backgroundColor: "#adb5bd",
        borderWidth: 2, borderDash: [6, 4], pointRadius: 0 },
    ];
  }
  var chart = new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: datasets(data.targets[0]) },
    options: {
      animation: false, maintainAspectRatio: false,
      plugins: {
        legend: { rtl: rtl, position: "bottom" },
        tooltip: { rtl: rtl, callbacks: { label: function (item) {
          return item.dataset.label + ": " + Number(item.raw).toLocaleString(locale);
        } } },
      },
      scales: {
        x: { reverse: rtl },
        y: { position: rtl ? "right" : "left", beginAtZero: true,
             ticks: { callback: function (v) { return Number(v).toLocaleString(locale); } } },
      },
    },
  });
  var pick = document.getElementById("target-chart-pick");
  if (pick) {
    pick.addEventListener("change", function () {
      chart.data.datasets = datasets(data.targets[Number(pick.value)] || data.targets[0]);
      chart.update();
    });
  }
})();
