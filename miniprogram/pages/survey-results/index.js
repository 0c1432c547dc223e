const surveys = require('../../services/surveys');
const settings = require('../../utils/settings');
const { messageOf } = require('../../utils/errors');

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    results: null,
  },

  onLoad(query) {
    this.surveyId = query && query.id;
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const results = await surveys.results(this.surveyId);
      this.setData({ status: 'ready', results });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: messageOf(err) });
    }
  },

  onRetry() {
    return this.load();
  },
});
