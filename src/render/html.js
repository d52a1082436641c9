document.documentElement.dataset.js = "on";
document.querySelectorAll("button[data-open]").forEach(function (b) {
  b.addEventListener("click", function () {
    var open = b.dataset.open === "1";
    document.querySelectorAll("details.report").forEach(function (d) { d.open = open; });
  });
});
function reveal() {
  var t = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  var d = t && t.closest("details.report");
  if (d && !d.open) { d.open = true; t.scrollIntoView(); }
}
window.addEventListener("hashchange", reveal);
reveal();
