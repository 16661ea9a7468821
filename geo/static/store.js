/*
 * The event store: decodes the events payload that geo/payload.py writes.
 *
 * Up to a few thousand events arrive as JSON in the page's payload; more arrive as
 * gzip-compressed binary containers in base64, in script elements of their own: one
 * with what the map draws, filters and lists, inflated at load, and one with the
 * details (summaries, figures, claims, notes, the source's codes), inflated on first
 * use (withDetails).
 * Numbers and dictionary codes become typed arrays (views on the inflated buffer), text
 * columns become functions of the row that decode only the rows that are read.
 * The format is written down in docs/payload.md (the contract with geo/payload.py).
 * Exposes window.FrontierStore = { Store, loadEvents, prefetch }.
 */
(function () {
  "use strict";

  var TYPED = { int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array,
    float64: Float64Array };

  /** Bytes from base64: the browser's own decoder where it has one, else atob. */
  function base64Bytes(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    var binary = atob(text), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  /**
   * A typed array sent as {type, scale, b64} (little-endian bytes in base64) or, inside
   * the binary events container, as {type, scale, blob: [offset, length]}.
   */
  function numbers(encoded, buffer) {
    var Type = TYPED[encoded.type], i;
    var bytes = encoded.blob ? new Uint8Array(buffer, encoded.blob[0], encoded.blob[1]) : base64Bytes(encoded.b64);
    var values = new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
    if (encoded.scale === 1) return values;
    var out = new Float64Array(values.length);
    for (i = 0; i < values.length; i++) out[i] = values[i] / encoded.scale;
    return out;
  }

  /**
   * A text column as a function of the row: a plain array, {dict, codes}, a UTF-8 block
   * with each row's end offset (decoded only when a row is read), {pair, sep}: two
   * such columns joined (a null head means the row is its tail alone), or {numbered,
   * none}: a prefix column and the number after it (`none` where there is no number).
   */
  function column(encoded, buffer) {
    if (Array.isArray(encoded)) return function (i) { return encoded[i]; };
    if (encoded.utf8) {
      var utf8 = new Uint8Array(buffer, encoded.utf8[0], encoded.utf8[1]);
      // ignoreBOM: a value that starts with U+FEFF keeps it (the default decoder drops it).
      var ends = numbers(encoded.ends, buffer), decoder = new TextDecoder("utf-8", { ignoreBOM: true });
      return function (i) { return decoder.decode(utf8.subarray(i ? ends[i - 1] + 1 : 0, ends[i])); };
    }
    if (encoded.pair) {
      var head = column(encoded.pair[0], buffer), tail = column(encoded.pair[1], buffer), sep = encoded.sep;
      return function (i) { var h = head(i); return h === null ? tail(i) : h + sep + tail(i); };
    }
    if (encoded.numbered) {
      var prefix = column(encoded.numbered[0], buffer), number = numbers(encoded.numbered[1], buffer);
      var none = encoded.none;
      return function (i) { return number[i] === none ? prefix(i) : prefix(i) + number[i]; };
    }
    var codes = numbers(encoded.codes, buffer), dict = encoded.dict;
    var get = function (i) { return dict[codes[i]]; };
    get.codes = codes;  // for loops over every row (Store.kinds)
    get.dict = dict;
    return get;
  }

  /** A list column (figures, claims, notes) as a plain array, expanding {dict, codes}. */
  function listColumn(encoded, buffer) {
    if (Array.isArray(encoded)) return encoded;
    var codes = numbers(encoded.codes, buffer), out = new Array(codes.length);
    for (var i = 0; i < codes.length; i++) out[i] = encoded.dict[codes[i]];
    return out;
  }

  /** Columnar events with typed arrays for the fields filters run over. */
  function Store(events, categories, buffer, detailsElement) {
    var n = events.n;
    this.n = n;
    this.categories = categories;
    this.lon = numbers(events.lon, buffer);
    this.lat = numbers(events.lat, buffer);
    this.start = numbers(events.start, buffer);
    this.end = numbers(events.end, buffer);
    this.cat = numbers(events.cat, buffer);
    /** Uncertainty radius in km; NaN where the precision is not a radius. */
    this.radius = numbers(events.radius, buffer);
    /** Where the details wait to be read (see withDetails); null once they are readable. */
    this.detailsElement = detailsElement || null;
    this.detailsLoaded = false;
    this.pendingDetails = null;
    if (this.detailsElement) {
      // Until withDetails has read them: no summary, no lists.
      this.summary = function () { return null; };
      this.figures = this.claims = this.notes = this.orig = [];
    } else {
      this.readDetails(events, buffer);
    }
    /** True when summaries were shortened to keep a very large map fast. */
    this.compact = !!events.compact;
    // precisionLabel(i): "exact", "within 25 km", "somewhere in Paktika province", made by
    // the build (geo/model.py LocationPrecision.label), never here.
    var text = ["id", "title", "date", "datePrecision", "endDate", "country", "place",
      "precision", "precisionLabel", "area", "areaRef", "layers", "source", "dataset"];
    var self = this;
    text.forEach(function (key) { self[key] = column(events[key], buffer); });
    var curated = null, all = null;
    /**
     * The row of an event id, or undefined. Our own GeoJSON events (the article's) are
     * indexed on first use; every id only when another id is looked up (a million ids
     * cost time), unless `curatedOnly` says the id can only be one of our own events.
     */
    this.rowOf = function (id, curatedOnly) {
      if (!curated) curated = indexRows(n, self.id, function (i) { return self.dataset(i) === "curated"; });
      if (curated.has(id) || curatedOnly) return curated.get(id);
      if (!all) all = indexRows(n, self.id, function () { return true; });
      return all.get(id);
    };
  }

  var KINDS = ["exact", "radius", "area"];

  /**
   * Each row's precision kind as an index into ["exact", "radius", "area"], for loops
   * over every row (a million calls of precision(i) cost tens of milliseconds); made once.
   */
  Store.prototype.kinds = function () {
    if (this.kindIndex) return this.kindIndex;
    var out = new Uint8Array(this.n), precision = this.precision, i;
    if (precision.codes) {
      var index = precision.dict.map(function (kind) { return KINDS.indexOf(kind); });
      for (i = 0; i < this.n; i++) out[i] = index[precision.codes[i]];
    } else {
      for (i = 0; i < this.n; i++) out[i] = KINDS.indexOf(precision(i));
    }
    this.kindIndex = out;
    return out;
  };

  /** Summaries, figures, claims, notes and the source's codes from their columns. */
  Store.prototype.readDetails = function (columns, buffer) {
    this.summary = column(columns.summary, buffer);
    this.figures = listColumn(columns.figures, buffer);
    this.claims = listColumn(columns.claims, buffer);
    this.notes = listColumn(columns.notes, buffer);
    this.orig = columns.orig.map(function (o) { return { label: o.label, get: column(o.values, buffer) }; });
    this.detailsElement = null;
    this.detailsLoaded = true;
  };

  /**
   * Call fn once the details (summaries, figures, claims, notes, codes) can be read: at
   * once when they can, else once their container (in a large map, most of its bytes)
   * is inflated, which the first call starts. onError gets a failure.
   */
  Store.prototype.withDetails = function (fn, onError) {
    if (this.detailsLoaded) { fn(); return; }
    var self = this;
    if (!this.pendingDetails) {
      this.pendingDetails = inflate(this.detailsElement).then(function (container) {
        self.readDetails(container.header, container.buffer);
      });
    }
    this.pendingDetails.then(fn, onError);
  };

  /** A Map from id to row of the rows that `keep` accepts. */
  function indexRows(n, idOf, keep) {
    var index = new Map();
    for (var i = 0; i < n; i++) if (keep(i)) index.set(idOf(i), i);
    return index;
  }

  /**
   * Bytes of a gzip stream, inflated. Runs in the inflating worker (which is made from
   * the text of this function, base64Bytes and workerMain), or in the page without one.
   */
  function gunzip(bytes) {
    return new Response(new Response(bytes).body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  }

  /** The worker's script: base64 text in, the inflated bytes out (moved, not copied). */
  function workerMain() {
    /* global self */
    self.onmessage = function (e) {
      gunzip(base64Bytes(e.data.text)).then(function (buffer) {
        self.postMessage({ id: e.data.id, buffer: buffer }, [buffer]);
      }, function (error) {
        self.postMessage({ id: e.data.id, error: String(error && error.message || error) });
      });
    };
  }

  /**
   * The page's one inflating worker (made on first use), so a large container inflates
   * on another core while this one goes on reading the page; null where workers cannot
   * be made or fail to start (the page then inflates on its own thread).
   */
  var worker, waiting = {};
  function inflater() {
    if (worker !== undefined) return worker;
    try {
      var source = [base64Bytes, gunzip].join("\n") + "\n(" + workerMain.toString() + ")();";
      worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    } catch (error) {
      worker = null;
      return worker;
    }
    worker.onmessage = function (e) {
      var job = waiting[e.data.id];
      delete waiting[e.data.id];
      if (e.data.error) job.reject(new Error(e.data.error)); else job.resolve(e.data.buffer);
    };
    // A worker that cannot run (a policy may forbid it) hands its jobs back to the page.
    worker.onerror = function (e) {
      e.preventDefault();
      worker.terminate();
      worker = null;
      Object.keys(waiting).forEach(function (id) {
        var job = waiting[id];
        delete waiting[id];
        gunzip(base64Bytes(job.text)).then(job.resolve, job.reject);
      });
    };
    return worker;
  }

  /** The inflated bytes of the base64 gzip text of element `id`, in the worker when there is one. */
  function inflateBytes(id, text) {
    var w = inflater();
    if (!w) return gunzip(base64Bytes(text));
    return new Promise(function (resolve, reject) {
      waiting[id] = { resolve: resolve, reject: reject, text: text };
      w.postMessage({ id: id, text: text });
    });
  }

  /**
   * Inflate the container in element `id` (removed once read): a gzip-compressed binary
   * container in base64, blocks of typed arrays and UTF-8 text, then a JSON header
   * describing the columns, then the header's length (uint32, little-endian).
   * Resolves to {header, buffer}. The first call for an element starts the work, and
   * later calls share it: the page starts the events' right after their element
   * (prefetch), while it goes on reading the rest of the document.
   */
  var inflating = {};
  function inflate(id) {
    if (inflating[id]) return inflating[id];
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot decompress them " +
        "(needs DecompressionStream: Chrome 80+, Firefox 113+, Safari 16.4+)"));
    }
    var element = document.getElementById(id);
    var bytes = inflateBytes(id, element.textContent);
    element.remove();
    inflating[id] = bytes.then(function (buffer) {
      var length = new DataView(buffer).getUint32(buffer.byteLength - 4, true);
      var header = new Uint8Array(buffer, buffer.byteLength - 4 - length, length);
      return { header: JSON.parse(new TextDecoder().decode(header)), buffer: buffer };
    });
    return inflating[id];
  }

  /** Inflate a large event set (the element payload.eventsElement) into payload.events and payload.eventsBuffer. */
  function loadEvents(payload) {
    if (!payload.eventsElement) return Promise.resolve();
    return inflate(payload.eventsElement).then(function (container) {
      payload.events = container.header;
      payload.eventsBuffer = container.buffer;
    });
  }

  window.FrontierStore = {
    Store: Store,
    loadEvents: loadEvents,
    /** Start inflating the container in element `id` now (the page calls it right after the element). */
    prefetch: function (id) { inflate(id).catch(function () { /* reported by whoever waits for it */ }); }
  };
})();
