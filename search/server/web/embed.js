// Embed page at /embed?q=…&region=…&placeholder=…&size=…&api_key=…, for
// iframes: the widget of widget.js on a page of its own. A scoped read key
// given as api_key is sent as "Authorization: Bearer" with each search.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const p = new URLSearchParams(location.search);
  PolicySearchWidget.mount(document.getElementById("widget"), {
    endpoint: location.origin,
    q: p.get("q") || "",
    region: p.getAll("region").join(","),
    placeholder: p.get("placeholder") || "",
    size: p.get("size") || "",
    key: p.get("api_key") || "",
  });
});
