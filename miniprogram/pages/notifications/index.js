const notifications = require('../../services/notifications');
const settings = require('../../utils/settings');
const format = require('../../utils/format');
const { messageOf } = require('../../utils/errors');

const TAB_PAGES = ['/pages/home/index', '/pages/surveys/index', '/pages/reports/index', '/pages/mine/index'];

function view(n) {
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    page: n.page || '',
    unread: !n.read_at,
    at: format.dateTime(n.created_at),
    // What became of the WeChat push (sent, not subscribed, failed...): the inbox is the record.
    delivery: n.delivery_label || '',
    pushed: n.delivery === 'sent',
  };
}

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    items: [],
    total: 0,
    page: 0,
    hasMore: false,
    loadingMore: false,
    actionError: '',
  },

  onLoad() {
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    return this.fetch(1);
  },

  async fetch(page) {
    try {
      const res = await notifications.list({ page });
      const items = (page === 1 ? [] : this.data.items).concat(res.items.map(view));
      this.setData({ status: 'ready', items, page, total: res.total, hasMore: items.length < res.total, loadingMore: false });
    } catch (err) {
      if (page === 1) this.setData({ status: 'error', errorMessage: messageOf(err) });
      else this.setData({ loadingMore: false, actionError: messageOf(err) });
    }
  },

  onReachBottom() {
    return this.onMore();
  },

  onMore() {
    if (!this.data.hasMore || this.data.loadingMore) return undefined;
    this.setData({ loadingMore: true });
    return this.fetch(this.data.page + 1);
  },

  onRetry() {
    return this.load();
  },

  async onOpen(e) {
    const id = e.currentTarget.dataset.id;
    const item = this.data.items.find((n) => n.id === id);
    if (!item) return;
    if (item.unread) {
      try {
        await notifications.markRead(id);
        this.setData({ items: this.data.items.map((n) => (n.id === id ? Object.assign({}, n, { unread: false }) : n)) });
      } catch (err) {
        this.setData({ actionError: messageOf(err) });
        return;
      }
    }
    if (!item.page) return;
    const url = item.page.startsWith('/') ? item.page : `/${item.page}`;
    if (TAB_PAGES.includes(url.split('?')[0])) wx.switchTab({ url: url.split('?')[0] });
    else wx.navigateTo({ url });
  },

  async onReadAll() {
    this.setData({ actionError: '' });
    try {
      await notifications.markAllRead();
      this.setData({ items: this.data.items.map((n) => Object.assign({}, n, { unread: false })) });
    } catch (err) {
      this.setData({ actionError: messageOf(err) });
    }
  },
});
