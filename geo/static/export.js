/*
 * Download the events currently shown (time window and categories) as GeoJSON
 * or CSV, made in the page (Blob + a[download]), so it works offline and from
 * file://. The CSV is RFC 4180, UTF-8 with a byte-order mark (Excel reads the
 * accents and scripts right), and text cells that a spreadsheet would run as a
 * formula get a leading apostrophe: those starting with = + - @ (or their fullwidth
 * forms ＝ ＋ － ＠, which spreadsheets fold to them), also behind leading white space
 * (NBSP and ideographic space included) or invisible characters (zero-width space,
 * joiners, word joiner, byte-order mark), and those starting with tab or CR.
 */
(function () {
  "use strict";

  var COLUMNS = ["id", "title", "date", "date_precision", "end_date", "category", "place", "lon", "lat",
    "location_precision", "summary", "figures", "claims", "source"];
  var NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;
  var FORMULA = /^[\s\u200b-\u200d\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/;

  /** One CSV field: formula-looking text neutralised, then quoted when needed. */
  function cell(value) {
    var s = value === null || value === undefined ? "" : String(value);
    if (FORMULA.test(s) && !NUMBER.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function figureText(f) {
    return (f.qualifier ? f.qualifier + " " : "") + f.value + " " + String(f.kind).replace(/_/g, " ") +
      " (reported by " + f.reported_by + (f.note ? "; " + f.note : "") + ")";
  }

  function list(text) {
    return text ? text.split(";") : [];
  }

  FrontierMap.extend(function (app) {
    var el = FrontierMap.el, kit = FrontierMap.kit, store = app.store;

    /** Event i as a GeoJSON feature (property names as in the project's event files). */
    function feature(i) {
      var orig = {};
      store.orig.forEach(function (o) { if (o.get(i)) orig[o.label] = o.get(i); });
      var precision = { type: store.precision(i) };
      if (store.radius[i]) precision.radius_km = store.radius[i];
      if (store.area(i)) precision.area = store.area(i);
      if (store.areaRef(i)) precision.area_ref = store.areaRef(i);
      return {
        type: "Feature",
        id: store.id(i),
        geometry: { type: "Point", coordinates: [store.lon[i], store.lat[i]] },
        properties: {
          title: store.title(i), summary: store.summary(i), date: store.date(i),
          date_precision: store.datePrecision(i), end_date: store.endDate(i) || null,
          category: store.categories[store.cat[i]].id, country: list(store.country(i)),
          place: store.place(i), location_precision: precision, layers: list(store.layers(i)),
          figures: store.figures[i] || [], claims: store.claims[i] || [], notes: store.notes[i] || [],
          source: store.source(i), dataset: store.dataset(i), original_codes: orig
        }
      };
    }

    /** Event i as one CSV line, in COLUMNS order. */
    function row(i) {
      return [store.id(i), store.title(i), store.date(i), store.datePrecision(i), store.endDate(i),
        store.categories[store.cat[i]].id, store.place(i), store.lon[i], store.lat[i], store.precisionLabel(i),
        store.summary(i), (store.figures[i] || []).map(figureText).join(" | "),
        (store.claims[i] || []).map(function (c) { return c.by + ": " + c.claim; }).join(" | "),
        store.source(i)].map(cell).join(",") + "\r\n";
    }

    function download(parts, type, extension) {
      var w = app.window;
      var name = "frontier-events_" + kit.isoDay(w[0]) + "_" + kit.isoDay(w[1]) + "." + extension;
      var url = URL.createObjectURL(new Blob(parts, { type: type }));
      var link = el("a", { href: url, download: name, hidden: "hidden" }, []);
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
    }

    /** The events shown, as a GeoJSON FeatureCollection download. */
    function geojson() {
      var parts = ['{"type":"FeatureCollection","features":['];
      Array.prototype.forEach.call(kit.visible(), function (i, k) {
        parts.push((k ? ",\n" : "\n") + JSON.stringify(feature(i)));
      });
      parts.push("\n]}\n");
      download(parts, "application/geo+json", "geojson");
    }

    /** The events shown, as a CSV download. */
    function csv() {
      var parts = ["\ufeff" + COLUMNS.join(",") + "\r\n"];
      Array.prototype.forEach.call(kit.visible(), function (i) { parts.push(row(i)); });
      download(parts, "text/csv;charset=utf-8", "csv");
    }

    var count = el("span", null, []);
    var asGeojson = el("button", { type: "button", "class": "fm-export-geojson" }, ["GeoJSON"]);
    var asCsv = el("button", { type: "button", "class": "fm-export-csv" }, ["CSV"]);
    var print = el("button", { type: "button", "class": "fm-print" }, ["Print"]);
    // A large map reads its events' details (summaries, figures...) on the first download.
    function failed(error) { app.notice("The events' details could not be read: " + error.message); }
    asGeojson.addEventListener("click", function () { store.withDetails(geojson, failed); });
    asCsv.addEventListener("click", function () { store.withDetails(csv, failed); });
    print.addEventListener("click", function () { window.print(); });
    var panel = el("section", { "class": "fm-panel fm-export", "aria-labelledby": "fm-export-h" }, [
      el("h2", { id: "fm-export-h" }, ["Download"]),
      el("p", null, ["The ", count, " shown (time window and categories): ", asGeojson, " ", asCsv, " ", print])
    ]);
    app.ui.addPanel(panel, "tools");
    function update() {
      var k = kit.visible().length;
      count.textContent = k.toLocaleString("en") + (k === 1 ? " event" : " events");
    }
    app.on("change", update);
    update();
  });
})();
