// Draws the price comparison from the JSON the page embeds; Chart.js is served from npm's copy.
(function () {
  var holder = document.getElementById("chart-data");
  var canvas = document.getElementById("price-chart");
  if (!holder || !canvas || !window.Chart) return;
  var data = JSON.parse(holder.textContent);
  var rtl = document.documentElement.dir === "rtl";
  var font = getComputedStyle(document.body).fontFamily;
  var colours = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997"];
  Chart.defaults.font.family = font;
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series, index) {
        return {
          label: series.label, data: series.points, spanGaps: true, stepped: series.ours ? "before" : false,
          borderWidth: series.ours ? 3 : 2, borderColor: colours[index % colours.length],
          backgroundColor: colours[index % colours.length], pointRadius: series.ours ? 0 : 3,
        };
      }),
    },
    options: {
      animation: false,
      plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } },
      scales: {
        x: { reverse: rtl },
        y: { position: rtl ? "right" : "left", ticks: { callback: function (v) { return Number(v).toLocaleString(rtl ? "fa-IR" : "en-US"); } } },
      },
    },
  });
})();
