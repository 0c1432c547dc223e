// Display helpers. Times from the server are ISO 8601 with an offset; residents read them in
// Shanghai time whatever the phone's time zone.
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

function pad(n) {
  return n < 10 ? `0${n}` : String(n);
}

/** '2026-11-29T13:06:45+00:00' -> '2026-11-29 21:06' (Shanghai). */
function dateTime(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

function date(iso) {
  return dateTime(iso).slice(0, 10);
}

/** 0.8182 -> '81.8%'; null -> '—'. */
function percent(share, digits = 1) {
  if (share === null || share === undefined) return '—';
  return `${(share * 100).toFixed(digits)}%`;
}

function points(value) {
  if (value === null || value === undefined) return '暂无';
  return `${Number(value).toFixed(1)} 分`;
}

const TREND_TEXT = { up: '较上期上升', down: '较上期下降', flat: '与上期持平', unknown: '暂无上期数据' };
const TREND_ARROW = { up: '↑', down: '↓', flat: '→', unknown: '' };

/** {direction, change} -> '↑ 较上期上升 2.0 分' */
function trend(t) {
  if (!t) return TREND_TEXT.unknown;
  const change = t.change === null || t.change === undefined ? '' : ` ${Math.abs(t.change).toFixed(1)} 分`;
  const arrow = TREND_ARROW[t.direction] || '';
  const text = TREND_TEXT[t.direction] || TREND_TEXT.unknown;
  return `${arrow ? `${arrow} ` : ''}${text}${t.direction === 'up' || t.direction === 'down' ? change : ''}`;
}

module.exports = { dateTime, date, percent, points, trend };
