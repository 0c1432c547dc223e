// Draws the overview's bar chart from the JSON the page embeds; the table below it carries
// the same numbers for screen readers and keyboard users.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("figures-chart");
  var source = document.getElementById("figures-data");
  if (!holder || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    aria: { enabled: true },
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { top: 40, left: 50, right: 20, bottom: 40 },
    xAxis: { type: "category", data: data.committees },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: data.figures.map(function (name, i) {
      return { name: name, type: "bar", data: data.series[i] };
    })
  });
  holder.setAttribute("data-rendered", "true");
  window.addEventListener("resize", function () { chart.resize(); });
});

// The trend: one line per residential area over the last months.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!holder || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    aria: { enabled: true },
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { top: 40, left: 50, right: 20, bottom: 40 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: data.lines.map(function (line) {
      return { name: line.name, type: "line", connectNulls: false, data: line.points };
    })
  });
  holder.setAttribute("data-rendered", "true");
  window.addEventListener("resize", function () { chart.resize(); });
});
