// The map's capacity list shows its choice at once; without JavaScript the Show button does it.
(function () {
  "use strict";
  var form = document.getElementById("map-form");
  if (!form) { return; }
  var select = document.getElementById("capacity");
  select.addEventListener("change", function () {
    window.location.href = form.getAttribute("action") + "?capacity=" + encodeURIComponent(select.value) + "#map-title";
  });
})();
