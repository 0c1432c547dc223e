// A survey's results as GET /surveys/{id}/results gives them, for residents (public results of an
// ended survey) and staff (live). Figures resting on fewer than 5 households (5 others, for a
// resident who answered) are withheld by the server; we say so instead of printing a number.
const format = require('../../utils/format');

function statsView(stats) {
  if (!stats) return null;
  if (stats.suppressed) return { suppressed: true, valid: stats.valid };
  return {
    suppressed: false,
    valid: stats.valid,
    rate: format.percent(stats.rate),
    ratePercent: stats.rate === null || stats.rate === undefined ? 0 : Math.round(stats.rate * 100),
    mean: stats.mean === null || stats.mean === undefined ? '—' : stats.mean.toFixed(1),
    ci: stats.ci_low === null || stats.ci_low === undefined ? '' : `${format.percent(stats.ci_low)}–${format.percent(stats.ci_high)}`,
    shares: (stats.shares || []).map((s) => ({ label: s.label, count: s.count, share: s.share === null ? '' : format.percent(s.share) })),
  };
}

function view(results) {
  if (!results) return null;
  return {
    live: results.live,
    ballots: results.ballots ? results.ballots.counted : 0,
    minHouseholds: results.disclosure ? results.disclosure.min_households : 5,
    responseRate: results.response_rate ? format.percent(results.response_rate.rate) : '—',
    overall: statsView(results.overall),
    areas: (results.areas || []).map((a) => Object.assign({ code: a.code, name: a.name }, statsView(a))),
    questions: (results.questions || []).filter((q) => q.kind !== 'long_text' && q.kind !== 'short_text').map((q) => ({
      key: q.key,
      text: q.text,
      stats: q.kind === 'satisfaction' ? statsView(q.stats) : null,
      options: (q.options || []).map((o) => ({ label: o.label, count: o.count, share: format.percent(o.share) })),
    })),
    definition: results.definition ? results.definition.text : '',
  };
}

Component({
  properties: {
    results: { type: Object, value: null },
  },
  data: { view: null },
  observers: {
    results(results) {
      this.setData({ view: view(results) });
    },
  },
});
