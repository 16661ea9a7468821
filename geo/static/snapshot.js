/*
 * "Save image": the current map view as a PNG, with a card that says what it shows (the
 * title, the time window, the legend of the categories and layers on the map) above the
 * map's own attribution. Rendered in the page by html-to-image from the map's DOM (SVG
 * paths, the event canvas, markers, labels), so it works offline from file://: fonts
 * are the system's (nothing to embed) and an image that cannot be read (online tiles
 * without a network) becomes a transparent pixel instead of a request that fails.
 */
FrontierMap.extend(function (app) {
  "use strict";

  var el = FrontierMap.el, kit = FrontierMap.kit, map = app.map;
  var BLANK = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";
  // Map controls that do nothing in a still image.
  var LEAVE_OUT = ["leaflet-control-zoom", "fm-notice"];

  function swatch(color, round) {
    var dot = el("span", { "class": "fm-snapshot-swatch" + (round ? " fm-snapshot-round" : "") }, []);
    dot.style.background = color;
    return dot;
  }

  /** The card drawn into the image: what the view shows, in words. */
  function card() {
    var payload = app.payload, rows = [];
    payload.categories.forEach(function (c, index) {
      var n = app.windowCounts ? app.windowCounts[index] : 0;
      if (app.catOn[index] && n) rows.push(el("li", null, [swatch(c.color, true), " " + c.label + " (" + n + ")"]));
    });
    payload.overlays.forEach(function (layer) {
      var group = app.overlayLayers[layer.id];
      if (group && map.hasLayer(group)) rows.push(el("li", null, [swatch(layer.style.color, false), " " + layer.title]));
    });
    var shown = app.visibleCount === 1 ? "1 event shown" : app.visibleCount.toLocaleString("en") + " events shown";
    return el("div", { "class": "fm-snapshot-card" }, [
      el("strong", null, [payload.title]),
      el("div", null, [kit.windowLabel(app.window) + " · " + shown]),
      el("ul", null, rows)
    ]);
  }

  function keep(node) {
    return !(node.classList && LEAVE_OUT.some(function (name) { return node.classList.contains(name); }));
  }

  function fileName() {
    var win = app.window;
    return "frontier-map_" + kit.isoDay(win[0]) + "_" + kit.isoDay(win[1]) + ".png";
  }

  /** Render the map view with its card; resolves to a PNG Blob of the map's size on screen. */
  function render() {
    var container = map.getContainer(), note = card();
    container.appendChild(note);
    var options = { pixelRatio: window.devicePixelRatio || 1, filter: keep, skipFonts: true,
      imagePlaceholder: BLANK, backgroundColor: app.payload.world.sea,
      width: container.clientWidth, height: container.clientHeight };
    return window.htmlToImage.toBlob(container, options).then(function (blob) {
      container.removeChild(note);
      return blob;
    }, function (error) {
      container.removeChild(note);
      throw error;
    });
  }

  function save(button) {
    button.disabled = true;
    return render().then(function (blob) {
      var url = URL.createObjectURL(blob);
      var link = el("a", { href: url, download: fileName(), hidden: "hidden" }, []);
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    }).catch(function (error) {
      app.notice("The image could not be made: " + (error && error.message ? error.message : error));
    }).then(function () { button.disabled = false; });
  }

  var button = el("button", { type: "button", "class": "fm-save-image",
    title: "Save the map as you see it, with its legend, time window and credits, as a PNG image" },
  ["Save image"]);
  button.addEventListener("click", function () { save(button); });
  var print = document.querySelector(".fm-print");
  if (print) print.parentNode.insertBefore(button, print.nextSibling);
  else app.ui.sidebar.appendChild(button);
  if (print) print.parentNode.insertBefore(document.createTextNode(" "), button);

  /** The PNG of the current view, as a Blob (what "Save image" downloads). */
  app.snapshot = render;
});
