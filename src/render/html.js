document.documentElement.dataset.js = "on";
document.querySelectorAll("button[data-open]").forEach(function (b) {
  b.addEventListener("click", function () {
    var open = b.dataset.open === "1";
    document.querySelectorAll("details.report").forEach(function (d) { d.open = open; });
  });
});
