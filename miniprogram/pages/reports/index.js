const reports = require('../../services/reports');
const notifications = require('../../services/notifications');
const settings = require('../../utils/settings');
const format = require('../../utils/format');
const { messageOf } = require('../../utils/errors');

const THEME = { resolved: 'success', closed: 'default', rejected: 'danger', merged: 'default', referred: 'default' };

function view(r) {
  return {
    id: r.id,
    title: [r.category && r.category.name, r.building].filter(Boolean).join(' · '),
    description: r.description,
    status: r.status_text,
    theme: THEME[r.status] || 'warning',
    toRate: (r.allowed_actions || []).includes('rate'),
    created: format.dateTime(r.created_at),
  };
}

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    items: [],
    unread: 0,
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
      const [mine, unread] = await Promise.all([reports.mine(), notifications.unreadCount()]);
      this.setData({ status: 'ready', items: mine.items.map(view), unread: unread.unread });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: messageOf(err) });
    }
  },

  onRetry() {
    this.setData({ status: 'loading' });
    return this.load();
  },

  onOpen(e) {
    wx.navigateTo({ url: `/pages/report-detail/index?id=${e.currentTarget.dataset.id}` });
  },

  onNew() {
    wx.navigateTo({ url: '/pages/report/index' });
  },

  onNotifications() {
    wx.navigateTo({ url: '/pages/notifications/index' });
  },
});
