const surveys = require('../../services/surveys');
const settings = require('../../utils/settings');
const format = require('../../utils/format');
const surveyDraft = require('../../utils/survey');
const { messageOf } = require('../../utils/errors');

function view(s) {
  const answered = surveyDraft.answeredWords(s);
  const draft = !answered && surveyDraft.loadDraft(s.id);
  return {
    id: s.id,
    title: s.title,
    period: `${format.date(s.opens_at)} 至 ${format.date(s.closes_at)}`,
    answered: Boolean(answered),
    note: answered ? answered.note : (draft && Object.keys(draft.answers || {}).length ? '继续填写' : '去填写'),
  };
}

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    open: [],
    ended: [],
  },

  onShow() {
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  onPullDownRefresh() {
    return this.load().then(() => wx.stopPullDownRefresh());
  },

  async load() {
    if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
    try {
      const [open, ended] = await Promise.all([surveys.list({ status: 'open' }), surveys.list({ status: 'ended' })]);
      this.setData({ status: 'ready', open: open.items.map(view), ended: ended.items.map(view) });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: messageOf(err) });
    }
  },

  onRetry() {
    this.setData({ status: 'loading' });
    return this.load();
  },

  onOpen(e) {
    wx.navigateTo({ url: `/pages/survey/index?id=${e.currentTarget.dataset.id}` });
  },

  onResults(e) {
    wx.navigateTo({ url: `/pages/survey-results/index?id=${e.currentTarget.dataset.id}` });
  },
});
