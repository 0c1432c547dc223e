// Draws the overview's charts from the JSON each page embeds; the table beside each chart
// carries the same numbers for screen readers and keyboard users.
function drawChart(holderId, sourceId, chartPart) {
  var holder = document.getElementById(holderId);
  var source = document.getElementById(sourceId);
  if (!holder || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder, null, { renderer: "svg" });
  var part = chartPart(data);
  chart.setOption({
    aria: { enabled: true },
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { top: 40, left: 50, right: 20, bottom: 40 },
    xAxis: { type: "category", data: part.categories },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: part.series
  });
  holder.setAttribute("data-rendered", "true");
  window.addEventListener("resize", function () { chart.resize(); });
}

document.addEventListener("DOMContentLoaded", function () {
  // One month: a bar per figure for each residential area.
  drawChart("figures-chart", "figures-data", function (data) {
    return { categories: data.committees, series: data.figures.map(function (name, i) {
      return { name: name, type: "bar", data: data.series[i] };
    }) };
  });
  // The trend: one line per residential area over the last months.
  drawChart("trend-chart", "trend-data", function (data) {
    return { categories: data.months, series: data.lines.map(function (line) {
      return { name: line.name, type: "line", connectNulls: false, data: line.points };
    }) };
  });
});
