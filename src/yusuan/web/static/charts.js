// Draws every chart of a page: each div[data-chart] names the
// <script type="application/json"> holding {title, unit, categories,
// series: [{name, data}], horizontal}; a null in data is a figure not
// found, drawn as no bar (never 0).
(function () {
  "use strict";
  var ACCENT = ["#1f5f8b", "#8fb3c7", "#c9793a", "#6b8f71", "#9a7aa0"];
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';

  var LEGEND_LINE = 22;

  // the lines a wrapping legend takes in `width` px: ECharts lays it out, but the grid must leave it
  // room, so its wrapping is foreseen here (a CJK character is about the font size, 12 px, wide)
  function legendLines(spec, width) {
    if (spec.series.length < 2) return 0;
    var lines = 1, used = 0;
    spec.series.forEach(function (s) {
      var item = 18 + 5 + 12 * s.name.length + 12;  // mark, its gap, the name, the gap to the next
      if (used && used + item - 12 > width) { lines += 1; used = 0; }
      used += item;
    });
    return lines;
  }

  function option(spec, width) {
    var narrow = window.innerWidth < 600;
    var lines = legendLines(spec, width - 8);
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
      // wrapped, not paged: a legend with 1/2 arrows hides a series' name behind a click
      legend: {show: lines > 0, bottom: 0, left: "center", type: "plain", itemWidth: 18, itemHeight: 11,
               itemGap: 12, textStyle: {fontSize: 12}},
      grid: {left: 8, right: 24, top: 44, bottom: 16 + lines * LEGEND_LINE, containLabel: true},
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
    var extra = Math.max(0, legendLines(spec, box.clientWidth - 8) - 1) * LEGEND_LINE;
    if (extra) box.style.height = (box.clientHeight + extra) + "px";  // the plot keeps its height
    var chart = echarts.init(box, null, {renderer: "svg"});
    chart.setOption(option(spec, box.clientWidth));
    charts.push([chart, spec]);
  });
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) { c[0].setOption(option(c[1], c[0].getDom().clientWidth)); c[0].resize(); });
    }, 100);
  });
})();
