/*
 * Story mode: a guided tour through the article's events in its own order
 * (payload.story, a list of event ids; chronological when it is missing or
 * empty). Each step flies to its event, opens its popup and highlights the
 * overlay layers the event names, and marks its dates on the timeline ("storystep"
 * and "storyend" app events). Previous/Next buttons or the Left/Right keys move;
 * Escape leaves the tour (its last popup stays open; the next Escape closes it).
 */
(function () {
  "use strict";

  FrontierMap.extend(function (app) {
    var el = FrontierMap.el, kit = FrontierMap.kit, store = app.store, map = app.map;
    var steps = storyOrder();
    var step = -1, active = false, lit = [];

    /** Event indices in the article's order; all events by date when it gives none. */
    function storyOrder() {
      var out = [], seen = {};
      (Array.isArray(app.payload.story) ? app.payload.story : []).forEach(function (id) {
        var i = typeof id === "string" ? store.rowOf(id, true) : undefined;
        if (i !== undefined && !seen[i]) { seen[i] = true; out.push(i); }
      });
      return out.length ? out : Array.prototype.slice.call(kit.order());
    }

    var start = el("button", { type: "button", "class": "fm-story-start", "aria-pressed": "false" }, ["Story tour"]);
    var counter = el("p", { "class": "fm-story-step", "aria-live": "polite" }, []);
    var title = el("h2", { "class": "fm-story-title" }, []);
    var meta = el("p", { "class": "fm-story-meta" }, []);
    var prev = el("button", { type: "button", "class": "fm-story-prev" }, ["◀ Previous"]);
    var next = el("button", { type: "button", "class": "fm-story-next" }, ["Next ▶"]);
    var close = el("button", { type: "button", "class": "fm-story-close", "aria-label": "Leave the tour" }, ["✕"]);
    var card = el("section", { "class": "fm-story", role: "region", "aria-label": "Story tour" }, [
      el("div", { "class": "fm-story-top" }, [counter, close]), title, meta,
      el("div", { "class": "fm-story-nav" }, [prev, next]),
      el("p", { "class": "fm-hint" }, ["← → previous / next · Esc leaves the tour"])
    ]);
    L.DomEvent.disableClickPropagation(card);
    L.DomEvent.disableScrollPropagation(card);
    var Card = L.Control.extend({ options: { position: "bottomleft" }, onAdd: function () { return card; } });
    var control = new Card();
    app.ui.header.insertBefore(start, app.ui.sidebarToggle);
    if (!steps.length) start.hidden = true;

    /** Go to step k (0-based): fly to its event, open it and highlight its layers. */
    function go(k) {
      if (!active || k < 0 || k >= steps.length) return;
      step = k;
      var i = steps[k];
      counter.textContent = "Step " + (k + 1) + " of " + steps.length;
      title.textContent = store.title(i);
      meta.textContent = FrontierMap.spanLabel(store.date(i), store.endDate(i)) + " · " + store.place(i);
      prev.setAttribute("aria-disabled", k === 0 ? "true" : "false");
      next.setAttribute("aria-disabled", k === steps.length - 1 ? "true" : "false");
      highlight(i);
      app.fire("storystep", { index: i, step: k });
      kit.showEvent(i);
    }

    /** The overlay layers event i names, switched on and marked (the last ones unmarked). */
    function highlight(i) {
      unhighlight();
      (store.layers(i) || "").split(";").forEach(function (id) {
        var group = id && app.overlayLayers[id];
        if (!group) return;
        if (!map.hasLayer(group)) map.addLayer(group);
        group.eachLayer(function (layer) {
          if (!/fm-uncertainty/.test(layer.options.className || "")) lit.push(layer);
        });
      });
      paint();
    }

    function paint() {
      lit.forEach(function (layer) {
        var node = layer.getElement && layer.getElement();
        if (node) node.classList.add("fm-story-hl");
        if (typeof layer.bringToFront === "function" && node) layer.bringToFront();
      });
    }

    function unhighlight() {
      lit.forEach(function (layer) {
        var node = layer.getElement && layer.getElement();
        if (node) node.classList.remove("fm-story-hl");
      });
      lit = [];
    }

    /** Start the tour at its first step. */
    function enter() {
      if (active || !steps.length) return;
      active = true;
      start.setAttribute("aria-pressed", "true");
      control.addTo(map);
      kit.closeDrawer();
      go(0);
      next.focus();
    }

    /** Leave the tour; the last popup stays open. */
    function leave() {
      if (!active) return;
      active = false;
      unhighlight();
      control.remove();
      app.fire("storyend");
      start.setAttribute("aria-pressed", "false");
      start.focus();
    }

    start.addEventListener("click", function () { if (active) leave(); else enter(); });
    prev.addEventListener("click", function () { go(step - 1); });
    next.addEventListener("click", function () { go(step + 1); });
    close.addEventListener("click", leave);
    map.on("overlayadd", function () { if (active) paint(); });
    // Capture phase: while touring, Left/Right step the tour rather than pan the map.
    document.addEventListener("keydown", function (e) {
      if (!active || e.altKey || e.ctrlKey || e.metaKey || kit.ownsArrows(e.target)) return;
      var move = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
      if (move) {
        e.preventDefault();
        e.stopPropagation();
        go(step + move);
      } else if (e.key === "Escape" && !e.defaultPrevented) {
        e.preventDefault();  // the tour alone: its popup stays open for the next Escape
        leave();
      }
    }, true);

    /** Tour API for other scripts and tests: enter(), leave(), go(k), step(), active(). */
    app.story = { enter: enter, leave: leave, go: go, steps: steps,
      step: function () { return step; }, active: function () { return active; } };
  });
})();
