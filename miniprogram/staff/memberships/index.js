const memberships = require('../../services/memberships');
const settings = require('../../utils/settings');
const membershipView = require('../../utils/membership');
const format = require('../../utils/format');
const session = require('../utils/session');

function view(m) {
  const match = m.household_match;
  let register = '';
  if (match) register = match.matched ? `与户籍登记一致（该户已有 ${match.approved_members} 人加入）` : '户籍登记中没有这个房号，请核实';
  return {
    id: m.id,
    community: m.community ? m.community.name : '',
    address: membershipView.address(m),
    applied: format.dateTime(m.applied_at),
    register,
    matched: Boolean(match && match.matched),
  };
}

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    items: [],
    rejecting: 0,
    reason: '',
    acting: 0,
    actionError: '',
  },

  onShow() {
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
    try {
      const res = await memberships.pending();
      this.setData({ status: 'ready', items: res.items.map(view) });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: session.handle(err) });
    }
  },

  onRetry() {
    this.setData({ status: 'loading' });
    return this.load();
  },

  drop(id) {
    this.setData({ items: this.data.items.filter((m) => m.id !== id), acting: 0, rejecting: 0, reason: '' });
  },

  async onApprove(e) {
    const id = e.currentTarget.dataset.id;
    if (this.data.acting) return;
    this.setData({ acting: id, actionError: '' });
    try {
      await memberships.approve(id);
      this.drop(id);
      wx.showToast({ title: '已通过', icon: 'success' });
    } catch (err) {
      this.setData({ acting: 0, actionError: session.handle(err) });
    }
  },

  onStartReject(e) {
    this.setData({ rejecting: e.currentTarget.dataset.id, reason: '', actionError: '' });
  },

  onReason(e) {
    this.setData({ reason: e.detail.value, actionError: '' });
  },

  onCancelReject() {
    this.setData({ rejecting: 0, reason: '' });
  },

  async onReject() {
    const id = this.data.rejecting;
    const reason = this.data.reason.trim();
    if (!reason) {
      this.setData({ actionError: '请填写不通过的原因，居民会看到' });
      return;
    }
    this.setData({ acting: id, actionError: '' });
    try {
      await memberships.reject(id, reason);
      this.drop(id);
      wx.showToast({ title: '已退回', icon: 'success' });
    } catch (err) {
      this.setData({ acting: 0, actionError: session.handle(err) });
    }
  },
});
