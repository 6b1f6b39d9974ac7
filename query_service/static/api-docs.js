// Redoc on this server's OpenAPI document. No network besides this server.
(function () {
  "use strict";
  var element = document.getElementById("redoc");
  Redoc.init(element.getAttribute("data-spec"), {
    disableSearch: true, // its worker comes from a blob: URL, which the page's CSP refuses
    hideDownloadButton: false,
    expandResponses: "200",
    pathInMiddlePanel: true,
    theme: { typography: { fontFamily: "system-ui, sans-serif", headings: { fontFamily: "system-ui, sans-serif" } } }
  }, element);
})();
