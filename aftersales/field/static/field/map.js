/* The tile map of a tour's day or a place (Leaflet, served locally), drawn only when the site names its own
   tile server: the configuration and the stops come from json_script elements named by data-* attributes. */
(function () {
  "use strict";
  var element = document.getElementById("field-map");
  if (!element || typeof L === "undefined") { return; }
  function read(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var config = read(element.dataset.config) || {};
  if (!config.tiles) { return; }
  var map = L.map(element);
  L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 19 }).addTo(map);
  var data = read(element.dataset.source);
  var bounds = [];
  if (data) {
    if (data.start) {
      L.circleMarker(data.start, { radius: 8, color: "#1f2937", fillOpacity: 1 }).addTo(map);
      bounds.push(data.start);
    }
    var line = data.start ? [data.start] : [];
    data.stops.forEach(function (stop) {
      var point = [stop.lat, stop.lon];
      var icon = L.divIcon({ className: "tours-pin", html: String(stop.n), iconSize: [24, 24] });
      L.marker(point, { icon: icon, title: stop.name }).addTo(map);
      if (stop.flag !== "not_fitted") { line.push(point); }
      bounds.push(point);
    });
    if (line.length > 1) { L.polyline(line, { color: "#2f6fb3", weight: 3 }).addTo(map); }
  }
  var lat = document.getElementById(element.dataset.pickLat || "");
  var lon = document.getElementById(element.dataset.pickLon || "");
  var source = document.getElementById(element.dataset.pickSource || "");
  var picked = null;
  if (lat && lon && lat.value && lon.value) {
    var here = [parseFloat(lat.value), parseFloat(lon.value)];
    if (!isNaN(here[0]) && !isNaN(here[1])) { picked = L.marker(here).addTo(map); bounds.push(here); }
  }
  if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 }); }
  else { map.setView([35.6892, 51.389], 11); }
  if (lat && lon) {
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      if (source) { source.value = "map"; }
      if (picked) { picked.setLatLng(event.latlng); } else { picked = L.marker(event.latlng).addTo(map); }
    });
  }
}());
