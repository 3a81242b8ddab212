// Filters and collapse for the nbgate report. The page is complete without this
// script; it only hides and shows what is there. Facts a test or a benchmark
// reads (visible findings, filter time, loaded images) land in data-* attributes.
// Nothing walks the findings before a filter is set: a large report opens at the
// speed of its HTML alone.
(function () {
  "use strict";
  var root = document.documentElement;
  var nav = document.getElementById("filters");
  var main = document.getElementById("notebooks");
  var total = Number(main.dataset.findings);
  var opening = Number(main.dataset.open);
  var findings = null;
  var notebooks = null;
  var clean = document.getElementById("clean");
  var selects = {
    severity: document.getElementById("f-severity"),
    rule: document.getElementById("f-rule"),
    notebook: document.getElementById("f-notebook")
  };
  var count = document.getElementById("f-count");

  function gather() {
    if (findings === null) {
      findings = main.getElementsByClassName("finding");
      notebooks = main.getElementsByClassName("nb");
    }
  }

  function wanted() {
    return { severity: selects.severity.value, rule: selects.rule.value, nb: selects.notebook.value };
  }

  function apply() {
    var started = performance.now();
    var want = wanted();
    gather();
    var shown = 0;
    var used = {};
    for (var i = 0; i < findings.length; i++) {
      var f = findings[i];
      var nb = f.parentNode.dataset.nb;
      var ok = (!want.severity || f.dataset.severity === want.severity) &&
        (!want.rule || f.dataset.rule === want.rule) && (!want.nb || nb === want.nb);
      if (f.hidden === ok) { f.hidden = !ok; }
      if (ok) { shown++; used[nb] = true; }
    }
    var matching = [];
    for (var j = 0; j < notebooks.length; j++) {
      var hide = !used[notebooks[j].dataset.nb];
      if (notebooks[j].hidden !== hide) { notebooks[j].hidden = hide; }
      if (!hide) { matching.push(notebooks[j]); }
    }
    // A filter down to no more sections than arrive open opens them; a wider one leaves
    // them as they are, since opening hundreds costs more than the reader asked for.
    if (matching.length <= opening && (want.severity || want.rule || want.nb)) {
      matching.forEach(function (d) { d.open = true; });
    }
    if (clean) { clean.hidden = Boolean(want.severity || want.rule || want.nb); }
    report(shown);
    root.dataset.filterMs = (performance.now() - started).toFixed(2);
  }

  function report(shown) {
    count.textContent = shown + " of " + total + " findings shown";
    root.dataset.visible = String(shown);
  }

  function fromAddress() {
    if (location.hash.indexOf("#filter?") !== 0) { return false; }
    var params = new URLSearchParams(location.hash.slice("#filter?".length));
    Object.keys(selects).forEach(function (name) {
      var value = params.get(name) || "";
      var select = selects[name];
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value) { select.value = value; }
      }
    });
    return true;
  }

  function toAddress() {
    var params = new URLSearchParams();
    Object.keys(selects).forEach(function (name) {
      if (selects[name].value) { params.set(name, selects[name].value); }
    });
    var query = params.toString();
    history.replaceState(null, "", query ? "#filter?" + query : location.pathname);
  }

  function openAll(open) {
    gather();
    for (var i = 0; i < notebooks.length; i++) { notebooks[i].open = open; }
  }

  function images() {
    var all = Array.prototype.slice.call(document.images);
    var loaded = 0;
    all.forEach(function (img) {
      img.dataset.naturalWidth = String(img.naturalWidth);
      if (img.complete && img.naturalWidth > 0) { loaded++; }
    });
    root.dataset.images = String(all.length);
    root.dataset.imagesLoaded = String(loaded);
  }

  nav.hidden = false;
  Object.keys(selects).forEach(function (name) {
    selects[name].addEventListener("change", function () { apply(); toAddress(); });
  });
  document.getElementById("f-collapse").addEventListener("click", function () { openAll(false); });
  document.getElementById("f-expand").addEventListener("click", function () { openAll(true); });
  window.addEventListener("hashchange", function () { if (fromAddress()) { apply(); } });
  if (fromAddress()) { apply(); } else { report(total); }
  window.addEventListener("load", function () {
    images();
    var timing = performance.getEntriesByType("navigation")[0];
    if (timing) { root.dataset.domMs = timing.domContentLoadedEventEnd.toFixed(1); }
    var paint = performance.getEntriesByName("first-contentful-paint")[0];
    if (paint) { root.dataset.paintMs = paint.startTime.toFixed(1); }
    root.dataset.ready = "1";
  });
}());
