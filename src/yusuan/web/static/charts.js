// Draws every chart of a page: each div[data-chart] names the
// <script type="application/json"> holding {title, unit, categories,
// series: [{name, data}], horizontal}; a null in data is a figure not
// found, drawn as no bar (never 0).
(function () {
  "use strict";
  var ACCENT = ["#1f5f8b", "#8fb3c7", "#c9793a", "#6b8f71", "#9a7aa0"];
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';

  function option(spec) {
    var narrow = window.innerWidth < 600;
    var category = {type: "category", data: spec.categories, axisTick: {show: false},
                    axisLabel: {interval: 0, width: narrow ? 90 : 160, overflow: "truncate"}};
    var value = {type: "value", splitLine: {lineStyle: {color: "#eceef0"}}};
    return {
      color: ACCENT,
      animation: false,  // a calm page, and a screenshot or a test sees the bars as they end up
      textStyle: {fontFamily: FONT},
      // the unit in the title: as an axis name it ran into the title on narrow screens
      title: {text: spec.title + "（" + spec.unit + "）", left: 0, textStyle: {fontSize: 15, fontWeight: 600}},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"},
                valueFormatter: function (v) { return v == null ? "—" : v.toLocaleString("zh-CN") + " " + spec.unit; }},
      legend: {show: spec.series.length > 1, bottom: 0, type: "scroll"},
      grid: {left: 8, right: 24, top: 44, bottom: spec.series.length > 1 ? 40 : 16, containLabel: true},
      xAxis: spec.horizontal ? value : category,
      yAxis: spec.horizontal ? category : value,
      series: spec.series.map(function (s) {
        return {name: s.name, type: "bar", data: s.data, barMaxWidth: 28,
                label: {show: spec.horizontal, position: "right", fontSize: 11}};
      })
    };
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-chart"));
    if (!source || !window.echarts) return;
    var spec = JSON.parse(source.textContent);
    if (spec.horizontal) {
      // a bar per department: the box grows with them
      box.style.height = Math.max(160, spec.categories.length * 32 + 80) + "px";
    }
    var chart = echarts.init(box, null, {renderer: "svg"});
    chart.setOption(option(spec));
    charts.push([chart, spec]);
  });
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) { c[0].setOption(option(c[1])); c[0].resize(); });
    }, 100);
  });
})();
