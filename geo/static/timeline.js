/*
 * The timeline strip under the map: a histogram of the events over a zoomable
 * axis, a brushable time window (drag it, drag its edges, or use its keyboard
 * handles), presets, date fields and playback that slides the window.
 *
 * The histogram counts each event across its days in proportion: an event known
 * to the month adds 1/31 to each day of that month, so imprecise dates spread
 * out instead of piling up on their first day. While few events lie on the axis
 * they are also drawn one by one as bars from their first to their last possible
 * day, so "December 2014" visibly covers its month.
 *
 * The first axis and the preset buttons come from the payload (geo/timeline.py): the
 * axis leaves off a few events lying far from the rest, so empty decades do not fill
 * the strip; a button at the axis' edge says how many shown events lie beyond it.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var PAD = 12;           // px left and right of the plot
  var HIST_H = 46;        // histogram height, px
  var LANE_H = 5;         // one row of event bars, px
  var LANES = 5;          // rows of event bars
  var AXIS_H = 16;        // tick labels, px
  var SPAN_LIMIT = 400;   // draw events as bars when at most this many lie on the axis
  var MIN_AXIS = 14;      // days: the closest zoom
  var TICK_MS = 100;      // playback step
  var CROSS_S = 20;       // seconds playback takes to cross the axis at 1×
  var SKIP_TICKS = 5;      // playback jumps an empty stretch longer than this many steps
  var COLOR = /^#[0-9a-fA-F]{3,8}$/;
  var SPEEDS = [["0.5", "½×"], ["1", "1×"], ["2", "2×"], ["4", "4×"]];
  // Calendar units for histogram bins and axis ticks, finest first.
  var UNITS = [["day", 1], ["day", 7], ["month", 1], ["month", 3], ["month", 6], ["year", 1], ["year", 2],
    ["year", 5], ["year", 10], ["year", 20], ["year", 50], ["year", 100]];
  var UNIT_DAYS = { day: 1, month: 30.44, year: 365.25 };

  var kit, el;

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  /** The first day of the unit holding `day`. */
  function unitFloor(day, unit) {
    var n = unit[1];
    if (unit[0] === "day") return day - (((day + 3) % n) + n) % n;  // weeks start on Monday
    var t = kit.ymd(day);
    if (unit[0] === "month") {
      var index = t.y * 12 + t.m - 1;
      index -= index % n;
      return kit.dayOf(Math.floor(index / 12), index % 12 + 1, 1);
    }
    return kit.dayOf(t.y - (((t.y % n) + n) % n), 1, 1);
  }

  /** The first day of the next unit after the one starting at `day`. */
  function unitNext(day, unit) {
    if (unit[0] === "day") return day + unit[1];
    var t = kit.ymd(day);
    if (unit[0] === "month") return kit.dayOf(t.y, t.m + unit[1], 1);
    return kit.dayOf(t.y + unit[1], 1, 1);
  }

  /** The finest unit of which at most `count` fit in `days`. */
  function pickUnit(days, count) {
    for (var u = 0; u < UNITS.length; u++) {
      if (days / (UNITS[u][1] * UNIT_DAYS[UNITS[u][0]]) <= count) return UNITS[u];
    }
    return UNITS[UNITS.length - 1];
  }

  /** The unit boundaries from the one holding a0 to the first one after a1. */
  function edges(a0, a1, unit) {
    var out = [unitFloor(a0, unit)];
    while (out[out.length - 1] <= a1) out.push(unitNext(out[out.length - 1], unit));
    return out;
  }

  // ------------------------------------------------------------- timeline

  function Timeline(app) {
    this.app = app;
    /** The events' own first and last day: windows and the axis stay inside it. */
    this.domain = app.span.slice();
    /** The days the axis shows: first the one the payload proposes (inside the domain). */
    var first = (app.payload.timeline || {}).axis;
    this.axis = first && first[0] >= this.domain[0] && first[1] <= this.domain[1] && first[0] < first[1] ?
      first.slice() : this.domain.slice();
    this.marked = null;  // the event a story step marks on the axis
    this.drag = null;    // the pointer drag under way
    this.timer = null;   // playback
    this.pending = null; // a window waiting for the next frame
    this.own = false;    // true while the timeline itself sets the window
    this.build();
    var self = this;
    app.on("change", function () {
      if (!self.own) self.follow();
      self.render();
    });
    app.on("storystep", function (e) { self.mark(e.index); });
    app.on("storyend", function () { self.mark(null); });
    // Redrawn when the plot's width changes (not for the observer's first report of it).
    if (window.ResizeObserver) {
      new ResizeObserver(function () { if (self.plot.clientWidth !== self.drawnWidth) self.render(); })
        .observe(this.plot);
    }
    this.render();
  }

  Timeline.prototype.build = function () {
    var self = this, app = this.app;
    this.summary = el("p", { "class": "fm-tl-summary" }, []);
    this.play = el("button", { type: "button", "class": "fm-tl-play", "aria-pressed": "false" }, ["▶ Play"]);
    this.speed = el("select", { "class": "fm-tl-speed", "aria-label": "Playback speed" },
      SPEEDS.map(function (s) { return el("option", { value: s[0] }, [s[1]]); }));
    this.speed.value = "1";
    this.presets = [];
    var presetButtons = ((app.payload.timeline || {}).presets || []).filter(function (p) {
      return p.from <= p.to && p.from >= self.domain[0] && p.to <= self.domain[1];
    }).map(function (p) { return self.presetButton(p.label, p.from, p.to); });
    this.before = el("button", { type: "button", "class": "fm-tl-beyond fm-tl-before", hidden: "hidden" }, []);
    this.after = el("button", { type: "button", "class": "fm-tl-beyond fm-tl-after", hidden: "hidden" }, []);
    var zoomIn = el("button", { type: "button", title: "Zoom the axis in", "aria-label": "Zoom the axis in" }, ["+"]);
    var zoomOut = el("button", { type: "button", title: "Zoom the axis out", "aria-label": "Zoom the axis out" }, ["−"]);
    var zoomWindow = el("button", { type: "button", "class": "fm-tl-fit" }, ["Zoom to window"]);
    this.from = el("input", { type: "date", "class": "fm-tl-from", min: kit.isoDay(this.domain[0]),
      max: kit.isoDay(this.domain[1]) }, []);
    this.to = el("input", { type: "date", "class": "fm-tl-to", min: kit.isoDay(this.domain[0]),
      max: kit.isoDay(this.domain[1]) }, []);
    var controls = el("div", { "class": "fm-tl-controls" }, [
      el("span", { "class": "fm-tl-group", role: "group", "aria-label": "Playback" }, [this.play, this.speed]),
      el("span", { "class": "fm-tl-group fm-tl-presets", role: "group", "aria-label": "Time presets" }, presetButtons),
      el("span", { "class": "fm-tl-group", role: "group", "aria-label": "Axis zoom" }, [zoomOut, zoomIn, zoomWindow]),
      el("span", { "class": "fm-tl-group fm-tl-dates" }, [
        el("label", null, ["From ", this.from]), el("label", null, [" to ", this.to])])
    ]);

    this.svg = svg("svg", { "class": "fm-tl-svg", "aria-hidden": "true", focusable: "false" });
    this.lo = this.handle("Window start");
    this.hi = this.handle("Window end");
    this.brush = el("div", { "class": "fm-tl-brush", role: "slider", tabindex: "0",
      "aria-label": "Time window: arrow keys move it" }, []);
    this.plot = el("div", { "class": "fm-tl-plot" }, [this.svg, this.brush, this.lo, this.hi, this.before, this.after]);
    var section = app.ui.timeline;
    section.appendChild(el("div", { "class": "fm-tl-head" }, [this.summary, controls]));
    section.appendChild(this.plot);

    L.DomEvent.on(this.play, "click", function () { if (self.timer) self.stop(); else self.start(); });
    [this.before, this.after].forEach(function (button) {
      button.addEventListener("pointerdown", function (e) { e.stopPropagation(); });
      L.DomEvent.on(button, "click", function () { self.fitAxis(self.domain[0], self.domain[1], true); });
    });
    L.DomEvent.on(zoomIn, "click", function () { self.zoom(0.5, self.focusDay()); });
    L.DomEvent.on(zoomOut, "click", function () { self.zoom(2, self.focusDay()); });
    L.DomEvent.on(zoomWindow, "click", function () { self.fitAxis(app.window[0], app.window[1]); });
    L.DomEvent.on(this.from, "change", function () { self.dateInput(self.from, 0); });
    L.DomEvent.on(this.to, "change", function () { self.dateInput(self.to, 1); });
    this.plot.addEventListener("pointerdown", function (e) { self.pointerDown(e); });
    this.plot.addEventListener("pointermove", function (e) { self.pointerMove(e); });
    this.plot.addEventListener("pointerup", function (e) { self.pointerUp(e); });
    this.plot.addEventListener("pointercancel", function (e) { self.pointerUp(e); });
    this.plot.addEventListener("wheel", function (e) { self.wheel(e); }, { passive: false });
    [[this.lo, "lo"], [this.hi, "hi"], [this.brush, "move"]].forEach(function (pair) {
      L.DomEvent.on(pair[0], "keydown", function (e) { self.key(e, pair[1]); });
    });
  };

  Timeline.prototype.handle = function (label) {
    return el("div", { "class": "fm-tl-handle", role: "slider", tabindex: "0", "aria-label": label,
      "aria-orientation": "horizontal" }, []);
  };

  Timeline.prototype.presetButton = function (label, lo, hi) {
    var self = this;
    var button = el("button", { type: "button", "aria-pressed": "false" }, [label]);
    L.DomEvent.on(button, "click", function () {
      self.stop();
      self.fitAxis(lo, hi, lo === self.domain[0] && hi === self.domain[1]);
      self.apply(lo, hi);
    });
    this.presets.push({ button: button, lo: lo, hi: hi });
    return button;
  };

  // ---------------------------------------------------------------- window

  /** Set the window, kept inside the domain; coalesced to one call per frame while dragging. */
  Timeline.prototype.setWindow = function (lo, hi, now) {
    var d = this.domain;
    lo = Math.max(d[0], Math.min(d[1], Math.round(lo)));
    hi = Math.max(lo, Math.min(d[1], Math.round(hi)));
    if (now) { this.apply(lo, hi); return; }
    var self = this, first = !this.pending;
    this.pending = [lo, hi];
    if (first) {
      requestAnimationFrame(function () {
        var w = self.pending;
        self.pending = null;
        if (w[0] !== self.app.window[0] || w[1] !== self.app.window[1]) self.apply(w[0], w[1]);
      });
    }
  };

  /** app.setWindow from the timeline itself (the axis then stays as the reader set it). */
  Timeline.prototype.apply = function (lo, hi) {
    this.own = true;
    try { this.app.setWindow(lo, hi); } finally { this.own = false; }
  };

  /**
   * After a window set elsewhere (a link, a list, a story step): fit the axis when
   * the window leaves it or would be a sliver on it.
   */
  Timeline.prototype.follow = function () {
    var w = this.app.window, a = this.axis;
    var width = this.width();
    if (w[0] < a[0] || w[1] > a[1] || this.x(w[1] + 1, width) - this.x(w[0], width) < 12) {
      this.fitAxis(w[0], w[1], w[0] <= this.domain[0] && w[1] >= this.domain[1]);
    }
  };

  Timeline.prototype.dateInput = function (input, end) {
    var day = kit.parseDay(input.value, false);
    var w = this.app.window;
    if (day === null) { this.render(); return; }
    if (end) this.setWindow(Math.min(w[0], day), day, true);
    else this.setWindow(day, Math.max(w[1], day), true);
  };

  /** Arrow keys, Page Up/Down, Home and End on the two handles and on the window itself. */
  Timeline.prototype.key = function (e, which) {
    var len = this.axis[1] - this.axis[0];
    var big = e.shiftKey || e.key === "PageUp" || e.key === "PageDown";
    var sign = { ArrowLeft: -1, ArrowDown: -1, PageDown: -1, ArrowRight: 1, ArrowUp: 1, PageUp: 1 }[e.key];
    var w = this.app.window, d = this.domain;
    var step = function (day, k) {
      if (len <= 731) return big ? kit.addMonths(day, k) : day + k;
      if (len <= 40 * 366) return kit.addMonths(day, big ? 12 * k : k);
      return kit.addMonths(day, big ? 120 * k : 12 * k);
    };
    var lo = w[0], hi = w[1];
    if (sign) {
      if (which === "lo") lo = Math.min(step(lo, sign), hi);
      else if (which === "hi") hi = Math.max(step(hi, sign), lo);
      else {
        var moved = step(sign > 0 ? hi : lo, sign) - (sign > 0 ? hi : lo);
        moved = sign > 0 ? Math.min(moved, d[1] - hi) : Math.max(moved, d[0] - lo);
        lo += moved;
        hi += moved;
      }
    } else if (e.key === "Home" || e.key === "End") {
      var home = e.key === "Home";
      if (which === "lo") lo = home ? d[0] : hi;
      else if (which === "hi") hi = home ? lo : d[1];
      else { var shift = home ? d[0] - lo : d[1] - hi; lo += shift; hi += shift; }
    } else {
      return;
    }
    e.preventDefault();
    this.stop();
    this.setWindow(lo, hi, true);
    this.reveal();
  };

  /** Scroll the axis when the window's edges leave it (after keyboard moves). */
  Timeline.prototype.reveal = function () {
    var w = this.app.window, a = this.axis, len = a[1] - a[0];
    if (w[0] < a[0]) this.setAxis(w[0], w[0] + len);
    else if (w[1] > a[1]) this.setAxis(w[1] - len, w[1]);
  };

  // ------------------------------------------------------------------ axis

  /** Show days a0..a1 on the axis, kept inside the domain and at least MIN_AXIS long. */
  Timeline.prototype.setAxis = function (a0, a1) {
    var d = this.domain, full = d[1] - d[0];
    var len = Math.min(full, Math.max(MIN_AXIS, Math.round(a1 - a0)));
    a0 = Math.round(a0);
    a0 = Math.max(d[0], Math.min(a0, d[1] - len));
    this.axis = [a0, a0 + len];
    this.render();
  };

  /** Zoom the axis by `factor` (below 1 zooms in) keeping `center` where it is. */
  Timeline.prototype.zoom = function (factor, center) {
    var a = this.axis, len = a[1] - a[0], next = len * factor;
    var share = (center - a[0]) / (len || 1);
    this.setAxis(center - share * next, center - share * next + next);
  };

  /** The axis around days lo..hi with a margin; the whole domain when `all`. */
  Timeline.prototype.fitAxis = function (lo, hi, all) {
    if (all) { this.setAxis(this.domain[0], this.domain[1]); return; }
    var margin = Math.max(3, Math.round((hi - lo) * 0.08));
    this.setAxis(lo - margin, hi + margin);
  };

  /** The day zoom buttons keep still: the window's middle when it is on the axis. */
  Timeline.prototype.focusDay = function () {
    var w = this.app.window, a = this.axis, mid = (w[0] + w[1]) / 2;
    return mid >= a[0] && mid <= a[1] ? mid : (a[0] + a[1]) / 2;
  };

  Timeline.prototype.width = function () {
    return Math.max(40, this.plot.clientWidth - 2 * PAD);
  };

  /** x in px of the start of `day` on a plot `width` px wide (this.width(), read once). */
  Timeline.prototype.x = function (day, width) {
    var a = this.axis;
    return PAD + (day - a[0]) / (a[1] + 1 - a[0]) * width;
  };

  /** The day under plot position x. */
  Timeline.prototype.dayAt = function (x) {
    var a = this.axis;
    return Math.floor(a[0] + (x - PAD) / this.width() * (a[1] + 1 - a[0]));
  };

  // --------------------------------------------------------------- pointer

  Timeline.prototype.pointerDown = function (e) {
    if (e.button !== 0) return;
    var x = e.clientX - this.plot.getBoundingClientRect().left;
    var w = this.app.window, a = this.axis;
    var covers = w[0] <= a[0] && w[1] >= a[1];  // a window over the whole axis cannot move: draw anew
    var mode = e.target === this.lo ? "lo" : e.target === this.hi ? "hi" :
      e.target === this.brush && !covers ? "move" : "new";
    this.stop();
    this.drag = { mode: mode, x: x, day: this.dayAt(x), window: this.app.window.slice(), moved: false };
    this.plot.setPointerCapture(e.pointerId);
    e.preventDefault();
    (mode === "new" ? this.brush : e.target).focus({ preventScroll: true });
  };

  Timeline.prototype.pointerMove = function (e) {
    var drag = this.drag;
    if (!drag) return;
    var x = e.clientX - this.plot.getBoundingClientRect().left;
    if (Math.abs(x - drag.x) > 3) drag.moved = true;
    if (!drag.moved) return;
    var day = this.dayAt(x), w = drag.window;
    if (drag.mode === "lo") this.setWindow(Math.min(day, w[1]), w[1]);
    else if (drag.mode === "hi") this.setWindow(w[0], Math.max(day, w[0]));
    else if (drag.mode === "move") {
      var shift = day - drag.day;
      shift = Math.max(this.domain[0] - w[0], Math.min(this.domain[1] - w[1], shift));
      this.setWindow(w[0] + shift, w[1] + shift);
    } else this.setWindow(Math.min(drag.day, day), Math.max(drag.day, day));
  };

  Timeline.prototype.pointerUp = function (e) {
    var drag = this.drag;
    if (!drag) return;
    this.drag = null;
    if (this.plot.hasPointerCapture(e.pointerId)) this.plot.releasePointerCapture(e.pointerId);
    if (!drag.moved && drag.mode === "new") {
      var half = (drag.window[1] - drag.window[0]) / 2;  // a click centres the window there
      var lo = Math.max(this.domain[0], Math.min(this.domain[1] - 2 * half, drag.day - half));
      this.setWindow(lo, lo + 2 * half);
    }
  };

  /** Wheel zooms the axis around the pointer; a sideways (or Shift) wheel pans it. */
  Timeline.prototype.wheel = function (e) {
    e.preventDefault();
    var a = this.axis, len = a[1] - a[0];
    var x = e.clientX - this.plot.getBoundingClientRect().left;
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      var delta = (e.shiftKey ? e.deltaY : e.deltaX) > 0 ? 1 : -1;
      this.setAxis(a[0] + delta * len * 0.1, a[1] + delta * len * 0.1);
    } else if (e.deltaY) {
      this.zoom(e.deltaY > 0 ? 1.25 : 0.8, this.dayAt(x));
    }
  };

  // -------------------------------------------------------------- playback

  /**
   * Slide the window from the first event shown in it until the last event, or stop()
   * is called; a stretch without events longer than SKIP_TICKS steps is jumped over, so
   * the next event comes into the window at once. The axis follows the window.
   */
  Timeline.prototype.start = function () {
    var self = this, a = this.axis, w = this.app.window;
    var width = w[1] - w[0];
    // A window over half the axis or more would hardly move: play a tenth of the axis instead.
    if (width >= (a[1] - a[0]) / 2) width = Math.max(7, Math.round((a[1] - a[0]) / 10));
    var shown = kit.visible(), store = this.app.store;
    var first = shown.length ? store.start[shown[0]] : this.nextEvent(w[0] - 1);
    if (first === null) return;
    var last = this.lastEvent();
    var position = Math.max(this.domain[0], Math.min(first, this.domain[1] - width));
    this.setWindow(position, position + width, true);
    this.reveal();
    this.play.setAttribute("aria-pressed", "true");
    this.play.textContent = "❚❚ Pause";
    this.timer = setInterval(function () {
      var step = Math.max((self.axis[1] - self.axis[0]) / (CROSS_S * 1000 / TICK_MS) *
        parseFloat(self.speed.value), 0.05);
      position += step;
      var end = Math.round(position) + width;
      if (!kit.visible().length) {
        var next = self.nextEvent(end);
        if (next !== null && next - end > SKIP_TICKS * step) {
          end = next;
          position = end - width;
        }
      }
      end = Math.min(end, self.domain[1]);
      self.setWindow(end - width, end, true);
      self.reveal();
      if (end >= Math.min(last, self.domain[1])) self.stop();
    }, TICK_MS);
  };

  /** The first day of the first event of a category shown that starts after `day`; null if none. */
  Timeline.prototype.nextEvent = function (day) {
    var order = kit.order(), store = this.app.store, on = this.app.catOn;
    var lo = 0, hi = order.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (store.start[order[mid]] <= day) lo = mid + 1; else hi = mid;
    }
    for (var j = lo; j < order.length; j++) if (on[store.cat[order[j]]]) return store.start[order[j]];
    return null;
  };

  /** The last day of the events of the categories shown (the domain's end when none). */
  Timeline.prototype.lastEvent = function () {
    var store = this.app.store, on = this.app.catOn, last = -Infinity;
    for (var i = 0; i < store.n; i++) if (on[store.cat[i]] && store.end[i] > last) last = store.end[i];
    return last === -Infinity ? this.domain[1] : last;
  };

  /** Mark event i's dates on the axis (a story step), showing them; null clears the mark. */
  Timeline.prototype.mark = function (i) {
    this.marked = i;
    if (i !== null) {
      var store = this.app.store, a = this.axis;
      if (store.start[i] < a[0] || store.end[i] > a[1]) {
        this.fitAxis(Math.min(a[0], store.start[i]), Math.max(a[1], store.end[i]));
        return;  // setAxis rendered
      }
    }
    this.render();
  };

  /** Pause playback (no-op when not playing). */
  Timeline.prototype.stop = function () {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    this.play.setAttribute("aria-pressed", "false");
    this.play.textContent = "▶ Play";
  };

  // ---------------------------------------------------------------- render

  /** Redraw histogram, event bars, ticks, brush and the text that follows the window. */
  Timeline.prototype.render = function () {
    var app = this.app, w = app.window, a = this.axis;
    // "Showing N events, <range>": the range never breaks inside, so a narrow bar wraps
    // before it, not in the middle of a date.
    var k = kit.visible().length;
    this.summary.textContent = "Showing " + k.toLocaleString("en") + (k === 1 ? " event, " : " events, ");
    this.summary.appendChild(el("span", { "class": "fm-tl-range" }, [kit.windowLabel(w)]));
    this.from.value = kit.isoDay(w[0]);
    this.to.value = kit.isoDay(w[1]);
    this.presets.forEach(function (p) {
      p.button.setAttribute("aria-pressed", p.lo === w[0] && p.hi === w[1] ? "true" : "false");
    });
    this.sliders();
    this.drawnWidth = this.plot.clientWidth;
    var width = this.width();
    var height = HIST_H + 4 + LANES * (LANE_H + 1) + AXIS_H;
    var root = this.svg;
    while (root.firstChild) root.removeChild(root.firstChild);
    root.setAttribute("width", String(width + 2 * PAD));
    root.setAttribute("height", String(height));
    root.setAttribute("data-axis-from", kit.isoDay(a[0]));
    root.setAttribute("data-axis-to", kit.isoDay(a[1]));
    var on = app.catOn;
    this.drawHistogram(root, on, width);
    this.drawSpans(root, on, width);
    this.drawTicks(root, width, HIST_H + 4 + LANES * (LANE_H + 1));
    this.drawMark(root, width, height);
    this.beyond();
    var x0 = Math.max(PAD, this.x(w[0], width)), x1 = Math.min(PAD + width, this.x(w[1] + 1, width));
    var hidden = x1 < PAD || x0 > PAD + width;
    this.brush.style.left = x0 + "px";
    this.brush.style.width = Math.max(2, x1 - x0) + "px";
    this.brush.style.display = hidden ? "none" : "";
    this.lo.style.left = x0 + "px";
    this.hi.style.left = x1 + "px";
    this.lo.classList.toggle("fm-tl-off", this.x(w[0], width) < PAD);
    this.hi.classList.toggle("fm-tl-off", this.x(w[1] + 1, width) > PAD + width);
  };

  Timeline.prototype.sliders = function () {
    var w = this.app.window, d = this.domain;
    var set = function (node, min, max, now, text) {
      node.setAttribute("aria-valuemin", String(min));
      node.setAttribute("aria-valuemax", String(max));
      node.setAttribute("aria-valuenow", String(now));
      node.setAttribute("aria-valuetext", text);
    };
    set(this.lo, d[0], w[1], w[0], kit.dayLabel(w[0]));
    set(this.hi, w[0], d[1], w[1], kit.dayLabel(w[1]));
    set(this.brush, d[0], d[1], w[0], kit.windowLabel(w));
  };

  /**
   * Events per bin and category, each spread evenly over its days (one pass over the
   * events), drawn as stacked bars in the categories' colours; bins in the window are solid.
   */
  Timeline.prototype.drawHistogram = function (root, on, width) {
    var store = this.app.store, a = this.axis, w = this.app.window, categories = store.categories;
    var unit = pickUnit(a[1] - a[0] + 1, width / 3);
    var e = edges(a[0], a[1], unit);
    var first = e[0], len = e[e.length - 1] - first, nb = e.length - 1;
    var start = store.start, end = store.end, cat = store.cat, last = e[e.length - 1] - 1;
    var diffs = categories.map(function (c, k) { return on[k] ? new Float64Array(len + 1) : null; });
    for (var i = 0; i < store.n; i++) {
      var diff = diffs[cat[i]];
      if (!diff || end[i] < first || start[i] > last) continue;
      var share = 1 / (end[i] - start[i] + 1);
      diff[Math.max(start[i], first) - first] += share;
      diff[Math.min(end[i], last) - first + 1] -= share;
    }
    var bins = diffs.map(function (diff) {
      if (!diff) return null;
      var out = new Float64Array(nb), density = 0, b = 0;
      for (var day = 0; day < len; day++) {
        density += diff[day];
        while (first + day >= e[b + 1]) b++;
        out[b] += density;
      }
      return out;
    });
    var totals = new Float64Array(nb), max = 0, b;
    bins.forEach(function (out) { if (out) for (var k = 0; k < nb; k++) totals[k] += out[k]; });
    for (b = 0; b < nb; b++) max = Math.max(max, totals[b]);
    for (b = 0; b < nb; b++) {
      if (totals[b] < 1e-9) continue;
      var x0 = Math.max(PAD, this.x(e[b], width)), x1 = Math.min(PAD + width, this.x(e[b + 1], width));
      var h = Math.max(1.5, totals[b] / max * HIST_H), scale = h / totals[b], y = HIST_H;
      var middle = (e[b] + e[b + 1] - 1) / 2;
      var cls = middle >= w[0] && middle <= w[1] ? "fm-tl-bin fm-tl-in" : "fm-tl-bin";
      var barWidth = Math.max(1, x1 - x0 - (x1 - x0 > 3 ? 1 : 0)).toFixed(1);
      for (var k = 0; k < bins.length; k++) {
        if (!bins[k] || bins[k][b] < 1e-9) continue;
        var part = bins[k][b] * scale;
        y -= part;
        var rect = svg("rect", { x: x0.toFixed(1), y: y.toFixed(2), width: barWidth, height: part.toFixed(2),
          "class": cls, "data-category": categories[k].id });
        if (COLOR.test(categories[k].color)) rect.setAttribute("fill", categories[k].color);
        root.appendChild(rect);
      }
    }
    var peak = svg("text", { x: String(PAD + 2), y: "10", "class": "fm-tl-peak" });
    var per = unit[0] === "day" && unit[1] === 7 ? "week" : unit[1] > 1 ? unit[1] + " " + unit[0] + "s" : unit[0];
    peak.textContent = max ? "peak " + (max < 10 ? max.toFixed(1) : Math.round(max)) + " events per " + per
      : "no events";
    root.appendChild(peak);
  };

  /** The dates of the event a story step shows, as a band over the whole strip. */
  Timeline.prototype.drawMark = function (root, width, height) {
    var i = this.marked;
    if (i === null) return;
    var store = this.app.store;
    var x0 = this.x(store.start[i], width), x1 = Math.max(x0 + 3, this.x(store.end[i] + 1, width));
    if (x1 < PAD || x0 > PAD + width) return;
    x0 = Math.max(PAD, x0);
    x1 = Math.min(PAD + width, x1);
    var band = svg("rect", { x: x0.toFixed(1), y: "0", width: (x1 - x0).toFixed(1), height: String(height),
      "class": "fm-tl-mark", "data-event": store.id(i) });
    var title = svg("title", {});
    title.textContent = "Story step: " + FrontierMap.spanLabel(store.date(i), store.endDate(i));
    band.appendChild(title);
    root.appendChild(band);
  };

  /** The buttons at the axis' ends: how many events shown lie before or after it. */
  Timeline.prototype.beyond = function () {
    var app = this.app, store = app.store, a = this.axis, mask = app.mask, before = 0, after = 0;
    for (var i = 0; i < store.n; i++) {
      if (!mask[i]) continue;
      if (store.end[i] < a[0]) before++;
      else if (store.start[i] > a[1]) after++;
    }
    var label = function (button, k, where) {
      button.hidden = !k;
      var text = k.toLocaleString("en") + (k === 1 ? " event " : " events ") + where;
      button.textContent = where === "earlier" ? "◂ " + text : text + " ▸";
      button.setAttribute("title", text + ": show the whole time span");
    };
    label(this.before, before, "earlier");
    label(this.after, after, "later");
  };

  /** Each event on the axis as a bar over its possible days, while they are few. */
  Timeline.prototype.drawSpans = function (root, on, width) {
    var app = this.app, store = app.store, a = this.axis, w = app.window;
    var order = kit.order(), picked = [];
    for (var j = 0; j < order.length && picked.length <= SPAN_LIMIT; j++) {
      var i = order[j];
      if (on[store.cat[i]] && store.end[i] >= a[0] && store.start[i] <= a[1]) picked.push(i);
    }
    if (picked.length > SPAN_LIMIT) return;
    var laneEnd = [], top = HIST_H + 4;
    for (var l = 0; l < LANES; l++) laneEnd.push(-Infinity);
    picked.forEach(function (i) {
      var x0 = Math.max(PAD, this.x(store.start[i], width));
      var x1 = Math.min(PAD + width, Math.max(x0 + 3, this.x(store.end[i] + 1, width)));
      for (var lane = 0; lane < LANES && laneEnd[lane] > x0 - 1; lane++) { /* first free lane */ }
      if (lane === LANES) return;
      laneEnd[lane] = x1;
      var inside = FrontierMap.inWindow(store.start[i], store.end[i], w[0], w[1]);
      var bar = svg("rect", { x: x0.toFixed(1), y: String(top + lane * (LANE_H + 1)), width: (x1 - x0).toFixed(1),
        height: String(LANE_H), fill: store.categories[store.cat[i]].color,
        "class": inside ? "fm-tl-span fm-tl-in" : "fm-tl-span", "data-event": store.id(i) });
      var title = svg("title", {});
      title.textContent = store.title(i) + " (" + FrontierMap.spanLabel(store.date(i), store.endDate(i)) + ")";
      bar.appendChild(title);
      root.appendChild(bar);
    }, this);
  };

  Timeline.prototype.drawTicks = function (root, width, top) {
    var a = this.axis;
    var unit = pickUnit(a[1] - a[0] + 1, width / 74);
    var e = edges(a[0], a[1], unit);
    for (var k = 0; k < e.length; k++) {
      var x = this.x(e[k], width);
      if (x < PAD - 0.5 || x > PAD + width + 0.5) continue;
      root.appendChild(svg("line", { x1: x.toFixed(1), x2: x.toFixed(1), y1: "0", y2: String(top + 3),
        "class": "fm-tl-tick" }));
      var label = svg("text", { x: (x + 2).toFixed(1), y: String(top + AXIS_H - 3), "class": "fm-tl-label" });
      label.textContent = kit.shortLabel(e[k], unit[0] === "day", unit[0] !== "year");
      if (x + 2 + label.textContent.length * 6 <= PAD + width + PAD) root.appendChild(label);
    }
  };

  FrontierMap.extend(function (app) {
    kit = FrontierMap.kit;
    el = FrontierMap.el;
    app.timeline = new Timeline(app);
  });
})();
