const me = require('../../services/me');
const membership = require('../../utils/membership');
const settings = require('../../utils/settings');
const { messageOf } = require('../../utils/errors');

Page({
  data: {
    largeText: false,
    status: 'loading', // 'loading' | 'error' | 'ready'
    errorMessage: '',
    membership: null, // view model from utils/membership.present
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
      this.setData({ status: 'ready', membership: membership.present(live) });
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
});
