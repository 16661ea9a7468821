/*
 * The event categories in the sidebar: one list that is filter, legend and count at
 * once. Each row is a checkbox that switches the category (app.setCategory), the
 * symbol its events have on the map, its name and how many of its events lie in the
 * time window, of all. The rows follow the map when a category is switched elsewhere.
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
      var dot = el("span", { "class": "fm-dot fm-event fm-prec-exact", "aria-hidden": "true" }, []);
      dot.style.backgroundColor = c.color;
      var label = el("label", { title: c.description }, [box, dot, el("span", { "class": "fm-filter-name" }, [c.label]),
        count]);
      box.addEventListener("change", function () { app.setCategory(c.id, box.checked); });
      rows.push({ index: index, id: c.id, total: c.count, box: box, count: count, item: el("li", null, [label]) });
    });
    var all = el("button", { type: "button" }, ["Show all"]);
    var none = el("button", { type: "button" }, ["Hide all"]);
    var setAll = function (on) { rows.forEach(function (r) { app.setCategory(r.id, on); }); };
    all.addEventListener("click", function () { setAll(true); });
    none.addEventListener("click", function () { setAll(false); });
    var panel = el("section", { "class": "fm-panel fm-filters", "aria-labelledby": "fm-filters-h" }, [
      el("div", { "class": "fm-panel-head" }, [el("h2", { id: "fm-filters-h" }, ["Events by category"]),
        el("span", { "class": "fm-filter-all" }, [all, none])]),
      el("p", { "class": "fm-hint" }, ["Numbers: events in the time window, of all."]),
      el("ul", { "class": "fm-filter-list" }, rows.map(function (r) { return r.item; }))
    ]);
    app.ui.addPanel(panel, "categories");
    app.ui.filters = panel;

    /** Follow the categories on the map and show each one's events in the window. */
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
