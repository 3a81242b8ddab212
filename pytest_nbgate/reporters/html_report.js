// Filters and collapse for the nbgate report. The page is complete without this
// script; it only hides and shows what is there. Facts a test or a benchmark
// reads (visible findings, filter time, loaded images) land in data-* attributes.
(function () {
  "use strict";
  var root = document.documentElement;
  var nav = document.getElementById("filters");
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var notebooks = Array.prototype.slice.call(document.querySelectorAll("details.nb"));
  var clean = document.getElementById("clean");
  var selects = {
    severity: document.getElementById("f-severity"),
    rule: document.getElementById("f-rule"),
    notebook: document.getElementById("f-notebook")
  };
  var count = document.getElementById("f-count");
  var keys = { severity: "severity", rule: "rule", notebook: "nb" };

  function apply() {
    var started = performance.now();
    var wanted = {};
    Object.keys(selects).forEach(function (name) { wanted[keys[name]] = selects[name].value; });
    var shown = 0;
    var used = {};
    for (var i = 0; i < findings.length; i++) {
      var f = findings[i];
      var ok = (!wanted.severity || f.dataset.severity === wanted.severity) &&
        (!wanted.rule || f.dataset.rule === wanted.rule) &&
        (!wanted.nb || f.dataset.nb === wanted.nb);
      if (f.hidden === ok) { f.hidden = !ok; }
      if (ok) { shown++; used[f.dataset.nb] = true; }
    }
    for (var j = 0; j < notebooks.length; j++) {
      var hide = !used[notebooks[j].dataset.nb];
      if (notebooks[j].hidden !== hide) { notebooks[j].hidden = hide; }
    }
    var filtering = Boolean(wanted.severity || wanted.rule || wanted.nb);
    if (clean) { clean.hidden = filtering; }
    count.textContent = shown + " of " + findings.length + " findings shown";
    root.dataset.visible = String(shown);
    root.dataset.filterMs = (performance.now() - started).toFixed(2);
  }

  function fromAddress() {
    if (location.hash.indexOf("#filter?") !== 0) { return; }
    var params = new URLSearchParams(location.hash.slice("#filter?".length));
    Object.keys(selects).forEach(function (name) {
      var value = params.get(name) || "";
      var select = selects[name];
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value) { select.value = value; }
      }
    });
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
    notebooks.forEach(function (d) { d.open = open; });
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
  window.addEventListener("hashchange", function () { fromAddress(); apply(); });
  fromAddress();
  apply();
  window.addEventListener("load", function () {
    images();
    var timing = performance.getEntriesByType("navigation")[0];
    if (timing) { root.dataset.domMs = timing.domContentLoadedEventEnd.toFixed(1); }
    root.dataset.ready = "1";
  });
}());
