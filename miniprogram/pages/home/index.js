const me = require('../../services/me');
const communities = require('../../services/communities');
const surveys = require('../../services/surveys');
const reports = require('../../services/reports');
const membership = require('../../utils/membership');
const settings = require('../../utils/settings');
const format = require('../../utils/format');
const surveyLogic = require('../../utils/survey');
const { messageOf } = require('../../utils/errors');

function partView(part) {
  if (!part) return { points: '暂无', trend: format.trend(null) };
  const points = part.points === null || part.points === undefined
    ? '暂无得分'
    : `${part.points.toFixed(1)} / ${part.max_points} 分`;
  return { points, trend: format.trend(part.trend), direction: (part.trend && part.trend.direction) || 'unknown' };
}

/** GET /communities/{id}/status as lines the card can print. */
function statusView(s) {
  const title = s.title && s.title.held
    ? `已获评上海市文明小区${s.title.since ? `（${format.date(s.title.since)}起）` : ''}`
    : '正在创建上海市文明小区';
  const cycle = s.cycle ? `${s.cycle.name} · 第 ${s.cycle.year} 年（${s.cycle.start_year}–${s.cycle.end_year}）` : '尚未进入测评周期';
  const score = s.score || {};
  return {
    name: (s.community && s.community.name) || '',
    title,
    held: Boolean(s.title && s.title.held),
    cycle,
    stage: s.stage ? s.stage.label : '',
    satisfaction: partView(score.satisfaction),
    supervision: partView(score.supervision),
    reports: s.reports_this_month || { submitted: 0, resolved: 0, open: 0 },
  };
}

function surveyView(s) {
  const answered = surveyLogic.answeredWords(s);
  return { id: s.id, title: s.title, closes: format.date(s.closes_at), note: answered ? answered.note : '去填写' };
}

function boardView(item) {
  return {
    id: item.id,
    title: [item.category, item.building].filter(Boolean).join(' · '),
    description: item.description,
    reply: item.reply,
    closed: format.date(item.closed_at),
    supports: item.support_count,
  };
}

Page({
  data: {
    largeText: false,
    status: 'loading', // 'loading' | 'error' | 'ready'
    errorMessage: '',
    membership: null, // view model from utils/membership.present
    community: null, // statusView
    surveys: [],
    board: [],
  },

  onShow() {
    this.setData({ largeText: settings.isLargeText() });
    // Membership status changes on the committee's side, so every return to the tab re-reads it.
    return this.load();
  },

  onPullDownRefresh() {
    return this.load().then(() => wx.stopPullDownRefresh());
  },

  async load() {
    // Keep what is on screen while refreshing; only a first load shows the spinner.
    if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
    try {
      const person = await me.get();
      const live = membership.current(person.memberships);
      const view = membership.present(live);
      if (!live || live.status !== 'approved') {
        this.setData({ status: 'ready', membership: view, community: null, surveys: [], board: [] });
        return;
      }
      // Only members see their community's figures, surveys and board.
      const [status, open, board] = await Promise.all([
        communities.status(live.community.id),
        surveys.list({ status: 'open' }),
        reports.board({ perPage: 5 }),
      ]);
      this.setData({
        status: 'ready',
        membership: view,
        community: statusView(status),
        surveys: open.items.map(surveyView),
        board: board.items.map(boardView),
      });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: messageOf(err) });
    }
  },

  onRetry() {
    this.setData({ status: 'loading' });
    return this.load();
  },

  onBind() {
    wx.navigateTo({ url: '/pages/bind/index' });
  },

  onReport() {
    wx.navigateTo({ url: '/pages/report/index' });
  },

  onSurvey(e) {
    wx.navigateTo({ url: `/pages/survey/index?id=${e.currentTarget.dataset.id}` });
  },

  onAllSurveys() {
    wx.switchTab({ url: '/pages/surveys/index' });
  },
});
