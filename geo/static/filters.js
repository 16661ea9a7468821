/*
 * Category filters in the sidebar: one checkbox per event category, with how
 * many of its events lie in the time window. A checkbox switches the category's
 * map layer (app.setCategory) and follows the layer control, both ways.
 */
(function () {
  "use strict";

  FrontierMap.extend(function (app) {
    var el = FrontierMap.el, store = app.store;
    var rows = [];
    store.categories.forEach(function (c, index) {
      if (!app.categoryLayers[c.id]) return;
      var box = el("input", { type: "checkbox", "data-category": c.id }, []);
      var count = el("span", { "class": "fm-filter-count" }, []);
      var swatch = el("span", { "class": "fm-swatch" }, []);
      swatch.style.background = c.color;
      var label = el("label", { title: c.description }, [box, " ", swatch, " " + c.label + " ", count]);
      box.addEventListener("change", function () { app.setCategory(c.id, box.checked); });
      rows.push({ index: index, id: c.id, total: c.count, box: box, count: count, item: el("li", null, [label]) });
    });
    var all = el("button", { type: "button" }, ["Show all"]);
    var none = el("button", { type: "button" }, ["Hide all"]);
    var setAll = function (on) { rows.forEach(function (r) { app.setCategory(r.id, on); }); };
    all.addEventListener("click", function () { setAll(true); });
    none.addEventListener("click", function () { setAll(false); });
    var panel = el("section", { "class": "fm-panel fm-filters", "aria-labelledby": "fm-filters-h" }, [
      el("h2", { id: "fm-filters-h" }, ["Event categories"]),
      el("p", { "class": "fm-hint" }, ["Counts: events in the time window, of all."]),
      el("ul", { "class": "fm-filter-list" }, rows.map(function (r) { return r.item; })),
      el("p", { "class": "fm-filter-all" }, [all, " ", none])
    ]);
    app.ui.sidebar.insertBefore(panel, app.ui.layers);
    app.ui.filters = panel;

    /** Follow the layers on the map and show each category's events in the window. */
    function update() {
      rows.forEach(function (r) {
        r.box.checked = app.catOn[r.index] === 1;
        r.count.textContent = app.windowCounts[r.index].toLocaleString("en") + " of " +
          r.total.toLocaleString("en");
      });
    }
    app.on("change", update);
    update();
  });
})();
