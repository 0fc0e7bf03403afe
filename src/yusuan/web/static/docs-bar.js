// The way back to the portal from /docs: Swagger UI's page is FastAPI's, not a template of
// the portal's, so its bar is put in here, at the top of the body, before Swagger UI draws.
(function () {
  "use strict";
  var bar = document.createElement("nav");
  bar.className = "yusuan-bar";
  bar.setAttribute("aria-label", "返回门户");
  bar.innerHTML = '<a class="brand" href="/">yusuan</a><a href="/">← 首页</a><span>接口文档（API）</span>';
  document.body.insertBefore(bar, document.body.firstChild);
})();
