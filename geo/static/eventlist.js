/*
 * The event list in the sidebar: the visible events (time window and category
 * filters) in date order, one button per event that opens it on the map.
 * The list is virtualised: only the rows in view (plus a few) exist in the DOM,
 * so a million events cost no more than thirty. Arrow keys, Home and End move
 * between rows; every change is announced through a polite live region.
 */
(function () {
  "use strict";

  var ROW = 46;       // px per row
  var OVERSCAN = 6;   // rows rendered above and below the visible ones

  FrontierMap.extend(function (app) {
    var el = FrontierMap.el, kit = FrontierMap.kit, store = app.store;
    var count = el("span", { "class": "fm-list-count" }, []);
    var toggle = el("button", { type: "button", "class": "fm-collapse", "aria-expanded": "true",
      "aria-controls": "fm-list-body" }, ["Events ", count]);
    var list = el("ul", { "class": "fm-list", role: "list", "aria-labelledby": "fm-list-h" }, []);
    var viewport = el("div", { "class": "fm-list-viewport" }, [list]);
    var empty = el("p", { "class": "fm-list-empty", hidden: "hidden" },
      ["No events in this time window with these categories. Widen the window or switch categories on."]);
    var body = el("div", { id: "fm-list-body" }, [
      el("p", { "class": "fm-hint" }, ["In date order. Choose one to open it on the map; arrow keys move in the list."]),
      empty, viewport]);
    var panel = el("section", { "class": "fm-panel fm-list-panel", "aria-labelledby": "fm-list-h" },
      [el("h2", { id: "fm-list-h" }, [toggle]), body]);
    app.ui.addPanel(panel, "events");
    app.ui.eventList = panel;

    var rows = {};      // event index -> rendered <li>
    var current = null; // index of the event whose popup is open

    L.DomEvent.on(toggle, "click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      body.hidden = !open;
      if (open) render();
    });

    function row(i) {
      var meta = FrontierMap.spanLabel(store.date(i), store.endDate(i)) + " · " +
        store.categories[store.cat[i]].label + " · " + store.place(i);
      var swatch = el("span", { "class": "fm-swatch" }, []);
      swatch.style.backgroundColor = store.categories[store.cat[i]].color;
      var button = el("button", { type: "button", "class": "fm-list-item", "data-event": store.id(i),
        title: store.title(i) }, [
        el("span", { "class": "fm-list-title" }, [swatch, " " + store.title(i)]),
        el("span", { "class": "fm-list-meta" }, [meta])]);
      button.addEventListener("click", function () {
        kit.closeDrawer();
        kit.showEvent(i);
      });
      return el("li", null, [button]);
    }

    /** Draw the rows in view, keeping those already drawn (and so the focus). */
    /** The viewport's height when the rows were last drawn. */
    var drawnHeight = null;
    function render() {
      var visible = kit.visible(), n = visible.length;
      count.textContent = "(" + n.toLocaleString("en") + " of " + store.n.toLocaleString("en") + ")";
      empty.hidden = n > 0;
      list.style.height = n * ROW + "px";
      if (body.hidden) return;
      drawnHeight = viewport.clientHeight;
      var height = drawnHeight || 400, top = viewport.scrollTop;
      var from = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
      var to = Math.min(n, Math.ceil((top + height) / ROW) + OVERSCAN);
      var next = {};
      for (var k = from; k < to; k++) {
        var i = visible[k];
        var item = rows[i] || row(i);
        delete rows[i];
        next[i] = item;
        item.style.top = k * ROW + "px";
        item.setAttribute("data-row", String(k));
        item.setAttribute("aria-setsize", String(n));
        item.setAttribute("aria-posinset", String(k + 1));
        item.firstChild.setAttribute("aria-current", i === current ? "true" : "false");
        if (item.parentNode !== list) list.appendChild(item);
      }
      Object.keys(rows).forEach(function (key) { list.removeChild(rows[key]); });
      rows = next;
    }

    /**
     * Make event i's row current and scroll it into view (in the list and in the
     * sidebar), without taking the focus: the reader chose it on the map.
     */
    function reveal(i) {
      var k = Array.prototype.indexOf.call(kit.visible(), i);
      if (k < 0 || body.hidden) { render(); return; }
      var height = viewport.clientHeight || 400;
      // The row goes to the top of the list, the part of it most likely on screen.
      if (k * ROW < viewport.scrollTop || (k + 1) * ROW > viewport.scrollTop + height) viewport.scrollTop = k * ROW;
      render();
      if (!app.ui.sidebar.classList.contains("fm-open") && window.getComputedStyle(app.ui.sidebar).position === "fixed") {
        return;  // a closed phone drawer: nothing to scroll
      }
      var item = list.querySelector('li[data-row="' + k + '"]');
      if (item) item.scrollIntoView({ block: "nearest" });
    }

    /** Scroll row k into view, draw it and focus its button. */
    function focusRow(k) {
      var n = kit.visible().length;
      if (!n) return;
      k = Math.max(0, Math.min(n - 1, k));
      var height = viewport.clientHeight || 400;
      if (k * ROW < viewport.scrollTop) viewport.scrollTop = k * ROW;
      else if ((k + 1) * ROW > viewport.scrollTop + height) viewport.scrollTop = (k + 1) * ROW - height;
      render();
      var item = list.querySelector('li[data-row="' + k + '"] button');
      if (item) item.focus();
    }

    list.addEventListener("keydown", function (e) {
      var item = e.target.closest && e.target.closest("li[data-row]");
      if (!item) return;
      var k = parseInt(item.getAttribute("data-row"), 10);
      var page = Math.max(1, Math.floor((viewport.clientHeight || 400) / ROW) - 1);
      var target = { ArrowDown: k + 1, ArrowUp: k - 1, PageDown: k + page, PageUp: k - page,
        Home: 0, End: kit.visible().length - 1 }[e.key];
      if (target === undefined) return;
      e.preventDefault();
      focusRow(target);
    });
    var scheduled = false;
    viewport.addEventListener("scroll", function () {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(function () { scheduled = false; render(); });
    });
    app.on("change", function () {
      render();
      kit.announce(kit.summary());
    });
    app.on("eventopen", function (e) { current = e.index; reveal(e.index); });
    app.on("eventclose", function (e) { if (current === e.index) current = null; render(); });
    // Only a new height changes the rows in view (not the observer's first report).
    if (window.ResizeObserver) {
      new ResizeObserver(function () { if (viewport.clientHeight !== drawnHeight) render(); }).observe(viewport);
    }
    render();
  });
})();
