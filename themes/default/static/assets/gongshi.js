// 大字与高对比度：按钮只在脚本可用时显示；选择保存在本机，翻页后保持。
// 地址中带 ?large-text=1 或 ?high-contrast=1 时直接打开该模式（便于分享和截图）。
(function () {
  "use strict";
  var root = document.documentElement;
  var modes = ["large-text", "high-contrast"];
  function saved(m) { try { return localStorage.getItem("gongshi-" + m) === "1"; } catch (e) { return false; } }
  function save(m, on) { try { localStorage.setItem("gongshi-" + m, on ? "1" : "0"); } catch (e) {} }
  var params = new URLSearchParams(location.search);
  modes.forEach(function (m) {
    if (params.get(m) === "1") save(m, true);
    if (params.get(m) === "0") save(m, false);
    if (saved(m)) root.classList.add(m);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var tools = document.getElementById("a11y-tools");
    if (!tools) return;
    tools.hidden = false;
    tools.querySelectorAll("button[data-toggle]").forEach(function (b) {
      var m = b.getAttribute("data-toggle");
      b.setAttribute("aria-pressed", root.classList.contains(m) ? "true" : "false");
      b.addEventListener("click", function () {
        var on = !root.classList.contains(m);
        root.classList.toggle(m, on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
        save(m, on);
      });
    });
  });
})();
