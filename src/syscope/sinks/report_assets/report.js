// Draws the syscope report from the JSON in #report-data.  Every string from the trace (paths,
// arguments, command lines) goes into the page as text nodes, never as markup: a traced program
// chooses its file names.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmtUs(us) {
    if (us >= 1e6) return (us / 1e6).toFixed(3) + " s";
    if (us >= 1e3) return (us / 1e3).toFixed(2) + " ms";
    return us.toFixed(us < 10 ? 2 : 1) + " \u00b5s";
  }
  function fmtBytes(n) {
    if (!n) return "";
    var u = ["B", "KiB", "MiB", "GiB"], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + " " + u[i];
  }
  function fmtMap(m) {
    return Object.keys(m).sort(function (a, b) { return m[b] - m[a]; })
      .map(function (k) { return k + (m[k] > 1 ? " \u00d7" + m[k] : ""); }).join(", ");
  }
  function empty(where, text) { where.appendChild(el("p", { "class": "empty" }, text)); }

  // -- summary ---------------------------------------------------------------------------------
  var T = D.totals;
  document.getElementById("subtitle").textContent =
    (D.wall_seconds ? "traced for " + D.wall_seconds.toFixed(3) + " s" : "") +
    (D.start ? ", from " + new Date(D.start * 1000).toISOString() : "") + " \u00b7 report written " + D.generated;
  var cards = [["syscalls", T.syscalls], ["errors", T.errors], ["time in syscalls", fmtUs(T.syscall_seconds * 1e6)],
               ["processes", T.processes], ["threads", T.threads], ["files", T.files], ["sockets", T.sockets],
               ["signals", T.signals]];
  var summary = document.getElementById("summary");
  cards.forEach(function (c) {
    var d = el("div", { "class": "card", "data-key": c[0] });
    d.appendChild(el("div", { "class": "v" }, c[1]));
    d.appendChild(el("div", { "class": "k" }, c[0]));
    summary.appendChild(d);
  });

  // -- horizontal bar charts -------------------------------------------------------------------
  var TOP = 25;
  function barChart(where, rows, value, label, cls) {
    rows = rows.slice().sort(function (a, b) { return value(b) - value(a) || (a.name < b.name ? -1 : 1); })
      .filter(function (r) { return value(r) > 0; }).slice(0, TOP);
    if (!rows.length) { empty(where, "no syscalls"); return; }
    var W = 560, left = 130, right = 90, rowH = 20, H = rows.length * rowH + 6;
    var max = Math.max.apply(null, rows.map(value));
    var s = sv("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "class": "barchart " + cls });
    rows.forEach(function (r, i) {
      var y = i * rowH + 3, w = Math.max(1, (W - left - right) * value(r) / max);
      s.appendChild(sv("text", { x: left - 6, y: y + 13, "text-anchor": "end" }, r.name));
      var bar = sv("rect", { "class": "bar " + cls, x: left, y: y, width: w.toFixed(2), height: rowH - 5,
                            "data-syscall": r.name, "data-value": value(r) });
      bar.appendChild(sv("title", {}, r.name + ": " + label(r)));
      s.appendChild(bar);
      if (cls === "count" && r.errors) {
        var ew = Math.max(1, w * r.errors / r.count);
        s.appendChild(sv("rect", { "class": "err", x: left, y: y, width: ew.toFixed(2), height: rowH - 5,
                                   "data-syscall": r.name, "data-value": r.errors }));
      }
      s.appendChild(sv("text", { x: left + w + 5, y: y + 13, "class": "lbl" }, label(r)));
    });
    where.appendChild(s);
    if (D.syscalls.length > TOP) empty(where, (D.syscalls.length - TOP) + " more syscalls not shown");
  }
  barChart(document.querySelector("#by-count .chart"), D.syscalls, function (r) { return r.count; },
           function (r) { return r.count + (r.errors ? " (" + r.errors + " failed)" : ""); }, "count");
  barChart(document.querySelector("#by-time .chart"), D.syscalls, function (r) { return r.total_us; },
           function (r) { return fmtUs(r.total_us); }, "time");

  // -- latency histograms ----------------------------------------------------------------------
  var grid = document.querySelector("#latency .grid");
  var withTimes = D.syscalls.filter(function (r) { return r.hist.some(function (n) { return n > 0; }); });
  if (!withTimes.length) empty(grid, "no completed syscalls");
  withTimes.slice(0, 24).forEach(function (r) {
    var lo = r.hist.findIndex(function (n) { return n > 0; });
    var hi = r.hist.length - 1 - r.hist.slice().reverse().findIndex(function (n) { return n > 0; });
    lo = Math.max(0, lo - 1); hi = Math.min(r.hist.length - 1, hi + 1);
    var n = hi - lo + 1, W = 300, H = 120, bottom = 28, bw = (W - 10) / n;
    var max = Math.max.apply(null, r.hist);
    var box = el("div", { "class": "hist", "data-syscall": r.name });
    box.appendChild(el("h3", {}, r.name + " \u2014 " + r.count + " calls, avg " + fmtUs(r.avg_us) +
                                 ", max " + fmtUs(r.max_us)));
    var s = sv("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "class": "histogram" });
    for (var k = lo; k <= hi; k++) {
      var v = r.hist[k], h = v ? Math.max(2, (H - bottom - 12) * v / max) : 0, x = 5 + (k - lo) * bw;
      var bar = sv("rect", { "class": "hbar", x: (x + 1).toFixed(2), y: (H - bottom - h).toFixed(2),
                             width: Math.max(1, bw - 2).toFixed(2), height: h.toFixed(2),
                             "data-syscall": r.name, "data-bucket": k, "data-value": v });
      bar.appendChild(sv("title", {}, D.bucket_ranges[k] + ": " + v + " calls"));
      s.appendChild(bar);
      if (v) s.appendChild(sv("text", { x: (x + bw / 2).toFixed(2), y: (H - bottom - h - 2).toFixed(2),
                                        "text-anchor": "middle", "class": "lbl" }, v));
      if ((k - lo) % Math.ceil(n / 6) === 0)
        s.appendChild(sv("text", { x: (x + bw / 2).toFixed(2), y: H - 10, "text-anchor": "middle", "class": "lbl" },
                         D.bucket_labels[k]));
    }
    box.appendChild(s);
    grid.appendChild(box);
  });

  // -- tables ----------------------------------------------------------------------------------
  var SHOWN = 40;  // rows shown at first; the rest are behind a button so the page stays short
  function table(where, cols, rows, id) {
    if (!rows.length) { empty(where, "none"); return; }
    var t = el("table", { id: id }), head = el("tr");
    cols.forEach(function (c) { head.appendChild(el("th", {}, c[0])); });
    t.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    function addRows(part) {
      part.forEach(function (r) {
        var tr = el("tr");
        cols.forEach(function (c) { tr.appendChild(el("td", { "class": c[2] || "" }, c[1](r))); });
        body.appendChild(tr);
      });
    }
    addRows(rows.slice(0, SHOWN));
    t.appendChild(body);
    where.appendChild(t);
    if (rows.length > SHOWN) {
      var more = el("button", { type: "button", "class": "more" }, "show " + (rows.length - SHOWN) + " more rows");
      more.addEventListener("click", function () { addRows(rows.slice(SHOWN)); more.remove(); });
      where.appendChild(more);
    }
  }
  table(document.querySelector("#errors .table"),
        [["syscall", function (r) { return r.syscall; }, "mono"], ["error", function (r) { return r.errno; }],
         ["count", function (r) { return r.count; }, "n"],
         ["examples", function (r) { return r.examples.join("\n"); }, "mono pre"]], D.errors, "errors-table");
  function ioCols(keyName) {
    return [[keyName, function (r) { return r.key; }, "mono"], ["calls", function (r) { return r.calls; }, "n"],
            ["failed", function (r) { return r.failed ? fmtMap(r.errnos) : ""; }],
            ["syscalls", function (r) { return fmtMap(r.syscalls); }, "mono"],
            ["read", function (r) { return fmtBytes(r.read); }, "n"],
            ["written", function (r) { return fmtBytes(r.written); }, "n"],
            ["pids", function (r) { return r.pids.join(" "); }]];
  }
  table(document.querySelector("#files .table"), ioCols("path"), D.files, "files-table");
  table(document.querySelector("#sockets .table"), ioCols("address"), D.sockets, "sockets-table");
  var sig = Object.keys(D.signals).map(function (k) { return { name: k, count: D.signals[k] }; });
  table(document.querySelector("#signals .table"),
        [["signal", function (r) { return r.name; }], ["delivered", function (r) { return r.count; }, "n"]],
        sig, "signals-table");

  // -- process tree ----------------------------------------------------------------------------
  var byPid = {}, kids = {}, roots = [];
  D.processes.forEach(function (p) { byPid[p.pid] = p; kids[p.pid] = []; });
  D.processes.forEach(function (p) {
    if (p.parent !== null && byPid[p.parent] && p.parent !== p.pid) kids[p.parent].push(p); else roots.push(p);
  });
  function procItem(p, depth) {
    var li = el("li", { "class": "proc", "data-pid": p.pid });
    li.appendChild(el("span", { "class": "pid" }, p.pid));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", { "class": "mono" }, p.argv.length ? p.argv.join(" ") : (p.comm || "?")));
    var facts = " \u2014 " + p.syscalls + " syscalls" + (p.errors ? ", " + p.errors + " failed" : "") +
                (p.threads > 1 ? ", " + p.threads + " threads" : "") + ", " + fmtUs(p.seconds * 1e6);
    li.appendChild(document.createTextNode(facts));
    if (p.exit) li.appendChild(el("span", { "class": "exit" + (/killed|with [1-9]/.test(p.exit) ? " bad" : "") },
                                  " \u2014 " + p.exit));
    if (kids[p.pid].length) {
      if (depth < 100) {
        var ul = el("ul");
        kids[p.pid].forEach(function (c) { ul.appendChild(procItem(c, depth + 1)); });
        li.appendChild(ul);
      } else {
        // A fork chain this deep continues as a new top-level list, so that drawing it cannot
        // exhaust the script's stack and the page stays readable.
        li.appendChild(el("span", { "class": "exit" }, " \u2014 children continue below"));
        kids[p.pid].forEach(function (c) { overflow.push(c); });
      }
    }
    return li;
  }
  var tree = document.querySelector("#processes .tree"), overflow = [];
  if (!roots.length) empty(tree, "no processes");
  else {
    var top = el("ul");
    roots.forEach(function (p) { top.appendChild(procItem(p, 0)); });
    while (overflow.length) top.appendChild(procItem(overflow.shift(), 0));
    tree.appendChild(top);
  }
  document.body.setAttribute("data-rendered", "yes");
})();
