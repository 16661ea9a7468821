/*
 * Shared helpers of the time-and-story scripts (timeline, filters, event list,
 * story, search, site status, export, deep links), published as FrontierMap.kit:
 * calendar days, the visible events in date order, moving the map to an event,
 * announcements for screen readers, throttling.
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var ISO = /^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$/;

  var app = null;
  var sorted = null;    // event indices in date order, made on first use
  var selection = null; // visible indices in date order, until the next "change"
  var flight = 0;       // the latest showEvent/moveTo call; older ones give up
  var live = null;

  // ------------------------------------------------------------------ days

  /** {y, m (1-12), d} of a day number (days since 1970-01-01, UTC). */
  function ymd(day) {
    var date = new Date(day * DAY_MS);
    return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
  }

  /** The day number of a calendar date; months and days overflow into the next ones. */
  function dayOf(y, m, d) {
    var date = new Date(0);
    date.setUTCFullYear(y, m - 1, d);
    return Math.round(date.getTime() / DAY_MS);
  }

  function daysInMonth(y, m) {
    return dayOf(y, m + 1, 1) - dayOf(y, m, 1);
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  /** 'YYYY-MM-DD' of a day number. */
  function isoDay(day) {
    var t = ymd(day);
    return pad(t.y, 4) + "-" + pad(t.m, 2) + "-" + pad(t.d, 2);
  }

  /**
   * The day number of 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD': the first day it can
   * mean, or the last one when `last` is true. null when malformed or not a date.
   */
  function parseDay(text, last) {
    var match = ISO.exec(String(text));
    if (!match) return null;
    var y = +match[1], m = match[2] ? +match[2] : null, d = match[3] ? +match[3] : null;
    if (y < 1 || (m !== null && (m < 1 || m > 12))) return null;
    if (d !== null && (d < 1 || d > daysInMonth(y, m))) return null;
    if (m === null) return last ? dayOf(y, 12, 31) : dayOf(y, 1, 1);
    if (d === null) return last ? dayOf(y, m, daysInMonth(y, m)) : dayOf(y, m, 1);
    return dayOf(y, m, d);
  }

  /** The day `k` months from `day`; the last day of a month stays the last day. */
  function addMonths(day, k) {
    var t = ymd(day);
    var index = t.y * 12 + (t.m - 1) + k;
    var y = Math.floor(index / 12), m = index - y * 12 + 1;
    var last = daysInMonth(y, m);
    var d = t.d === daysInMonth(t.y, t.m) ? last : Math.min(t.d, last);
    return dayOf(y, m, d);
  }

  /** '1 December 2024'. */
  function dayLabel(day) {
    return FrontierMap.dateLabel(isoDay(day));
  }

  /** '3 Mar 2025' (short, for axis ticks and compact rows). */
  function shortLabel(day, withDay, withMonth) {
    var t = ymd(day);
    if (!withMonth) return String(t.y);
    return (withDay ? t.d + " " : "") + FrontierMap.monthName(t.m).slice(0, 3) + " " + t.y;
  }

  /** '1 December 2024 – 31 March 2025' for a window [lo, hi]. */
  function windowLabel(win) {
    return win[0] === win[1] ? dayLabel(win[0]) : dayLabel(win[0]) + " – " + dayLabel(win[1]);
  }

  // ------------------------------------------------------------- selection

  /** Event indices sorted by first day, then last day, then file order (made once). */
  function order() {
    if (sorted) return sorted;
    var store = app.store, n = store.n, start = store.start, end = store.end;
    var out = new Int32Array(n), inOrder = true;
    for (var i = 0; i < n; i++) {
      out[i] = i;
      if (i && (start[i] < start[i - 1] || (start[i] === start[i - 1] && end[i] < end[i - 1]))) inOrder = false;
    }
    if (!inOrder) out.sort(function (a, b) { return start[a] - start[b] || end[a] - end[b] || a - b; });
    sorted = out;
    return out;
  }

  /** Indices of the visible events (category on, inside the window) in date order. */
  function visible() {
    if (selection) return selection;
    var ids = order(), n = ids.length, out = new Int32Array(n), k = 0;
    for (var j = 0; j < n; j++) if (app.visible(ids[j])) out[k++] = ids[j];
    selection = out.subarray(0, k);
    return selection;
  }

  /** '12 events shown, 1 December 2024 – 31 March 2025'. */
  function summary() {
    var k = visible().length;
    return k.toLocaleString("en") + (k === 1 ? " event" : " events") + " shown, " + windowLabel(app.window);
  }

  // ------------------------------------------------------------- the map

  /** False when the reader asked for reduced motion or zoom animation is off. */
  function animate() {
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return !!app.map.options.zoomAnimation && !reduce;
  }

  /**
   * Move the map to a point (with a zoom) or to bounds: a short flight, or a jump
   * when animation is off or `instant`; then call done(), unless another move started since.
   */
  function moveTo(target, done, instant) {
    var map = app.map, token = ++flight;
    var finish = function () { if (token === flight && done) done(); };
    var bounds = target.bounds;
    var zoom = bounds ? Math.min(map.getBoundsZoom(bounds, false, L.point(40, 40)), 10) : target.zoom;
    var center = bounds ? bounds.getCenter() : L.latLng(target.latlng);
    zoom = Math.max(map.getMinZoom(), Math.min(map.getMaxZoom(), zoom));
    var same = map.getZoom() === zoom && map.latLngToContainerPoint(center).distanceTo(
      map.latLngToContainerPoint(map.getCenter())) < 2;
    if (same) { finish(); return; }
    if (animate() && !instant) {
      map.once("moveend", finish);
      map.flyTo(center, zoom, { duration: 0.8 });
    } else {
      map.setView(center, zoom, { animate: false });
      finish();
    }
  }

  /** Fly (or with `instant`, jump) to event i, closer for a point, wider for an area, and open its popup. */
  function showEvent(i, instant) {
    var store = app.store;
    var zoom = store.precision(i) === "area" ? 6 : 8;
    moveTo({ latlng: [store.lat[i], store.lon[i]], zoom: zoom }, function () { app.openRow(i); }, instant);
  }

  /** Close the sidebar drawer (phones) so the map shows what was chosen in it. */
  function closeDrawer() {
    if (app.ui.sidebar.classList.contains("fm-open")) app.ui.sidebarToggle.click();
  }

  /** Tell screen readers `text` once things settle (a polite live region). */
  var announce = debounce(function (text) {
    if (live.textContent === text) live.textContent = "";
    live.textContent = text;
  }, 700);

  // ---------------------------------------------------------------- timing

  /** fn delayed until `ms` pass without another call. */
  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  /** fn at most once every `ms`, always with a last call after the final request. */
  function throttle(fn, ms) {
    var timer = null, pending = false;
    function run() {
      timer = null;
      if (!pending) return;
      pending = false;
      fn();
      timer = setTimeout(run, ms);
    }
    return function () {
      pending = true;
      if (!timer) timer = setTimeout(run, ms);
    };
  }

  /** True when a key press belongs to the focused control (text field, slider, list). */
  function ownsArrows(target) {
    if (!target || !target.closest) return false;
    return !!target.closest("input, textarea, select, [contenteditable], [role=slider], [role=listbox]," +
      " [role=combobox], .fm-list-item");
  }

  FrontierMap.kit = {
    ymd: ymd, dayOf: dayOf, isoDay: isoDay, parseDay: parseDay, addMonths: addMonths,
    dayLabel: dayLabel, shortLabel: shortLabel, windowLabel: windowLabel,
    order: order, visible: visible, summary: summary,
    moveTo: moveTo, showEvent: showEvent, closeDrawer: closeDrawer,
    announce: announce,
    debounce: debounce, throttle: throttle, ownsArrows: ownsArrows
  };

  FrontierMap.extend(function (a) {
    app = a;
    live = FrontierMap.el("div", { "class": "fm-sr fm-announce", role: "status", "aria-live": "polite" }, []);
    document.body.appendChild(live);
    // On phones the sidebar is a drawer over the header: give it its own close button.
    var shut = FrontierMap.el("button", { type: "button", "class": "fm-drawer-close" }, ["✕ Close"]);
    shut.addEventListener("click", function () {
      closeDrawer();
      app.ui.sidebarToggle.focus();
    });
    app.ui.sidebar.insertBefore(FrontierMap.el("div", { "class": "fm-drawer-bar" }, [shut]), app.ui.sidebar.firstChild);
    // Escape closes the open drawer when nothing nearer (a popup, the tour) took the key.
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || e.defaultPrevented || !app.ui.sidebar.classList.contains("fm-open")) return;
      e.preventDefault();
      closeDrawer();
      app.ui.sidebarToggle.focus();
    });
    app.on("change", function () { selection = null; });
  });
})();
