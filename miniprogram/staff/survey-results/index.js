const surveys = require('../../services/surveys');
const settings = require('../../utils/settings');
const format = require('../../utils/format');
const session = require('../utils/session');

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    results: null,
    updated: '',
  },

  onLoad(query) {
    this.surveyId = query && query.id;
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  onPullDownRefresh() {
    return this.load().then(() => wx.stopPullDownRefresh());
  },

  async load() {
    if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
    try {
      const results = await surveys.staffResults(this.surveyId);
      this.setData({ status: 'ready', results, updated: format.dateTime(new Date().toISOString()) });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: session.handle(err) });
    }
  },

  onRetry() {
    this.setData({ status: 'loading' });
    return this.load();
  },
});
