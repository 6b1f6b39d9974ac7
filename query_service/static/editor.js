// YASGUI on /sparql with one tab per canned query. No network besides this server.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("examples").textContent);
  var endpoint = new URL("/sparql", window.location.href).toString();
  var key = "yagui_hsfhs";
  window.localStorage.removeItem(key);  // start from the canned queries on every visit
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: key,
    // the class and property completers ask lov.linkeddata.es: this server must not need
    // the internet, so only the bundled prefixes and the query's own variables complete
    yasqe: { autocompleters: ["prefixes", "variables"] },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } }
  });
  examples.forEach(function (example, i) {
    if (i === 0) {
      var first = yasgui.getTab();
      first.setName(example.name);
      first.setQuery(example.query);
    } else {
      // a tab that is not shown has no editor yet: give it its query in its config
      yasgui.addTab(false, { name: example.name, yasqe: { value: example.query } });
    }
  });
})();
