const surveys = require('../../services/surveys');
const settings = require('../../utils/settings');
const format = require('../../utils/format');
const session = require('../utils/session');

const STATUS_WORDS = { draft: '草稿', published: '进行中', closed: '已结束' };

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    items: [],
  },

  onShow() {
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
    try {
      const res = await surveys.staffList();
      this.setData({
        status: 'ready',
        items: res.items.filter((s) => s.status !== 'draft').map((s) => ({
          id: s.id,
          title: s.title,
          note: s.accepting ? '进行中' : (STATUS_WORDS[s.status] || s.status),
          period: `${format.date(s.opens_at)} 至 ${format.date(s.closes_at)}`,
        })),
      });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: session.handle(err) });
    }
  },

  onRetry() {
    this.setData({ status: 'loading' });
    return this.load();
  },

  onOpen(e) {
    wx.navigateTo({ url: `/staff/survey-results/index?id=${e.currentTarget.dataset.id}` });
  },
});
