const me = require('../../services/me');
const staff = require('../../services/staff');
const memberships = require('../../services/memberships');
const membership = require('../../utils/membership');
const settings = require('../../utils/settings');
const { confirm } = require('../../utils/modal');
const { messageOf } = require('../../utils/errors');

Page({
  data: {
    largeText: false,
    status: 'loading', // 'loading' | 'error' | 'ready'
    errorMessage: '',
    residentId: null,
    membership: null,
    leaving: false,
    actionError: '',
    staffSignedIn: false,
  },

  onShow() {
    this.setData({ largeText: settings.isLargeText(), staffSignedIn: staff.isLoggedIn() });
    return this.load();
  },

  async load() {
    if (this.data.status !== 'ready') this.setData({ status: 'loading', errorMessage: '' });
    try {
      const person = await me.get();
      this.setData({
        status: 'ready',
        residentId: person.id,
        membership: membership.present(membership.current(person.memberships)),
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

  async onLeave() {
    const current = this.data.membership;
    if (!current || !current.canLeave || this.data.leaving) return;
    const pending = current.status === 'pending';
    const ok = await confirm({
      title: pending ? '撤回申请' : '退出小区',
      content: pending
        ? `确定撤回加入“${current.communityName}”的申请吗？`
        : `确定退出“${current.communityName}”吗？退出后将不能参与该小区的测评。`,
      confirmText: pending ? '撤回' : '退出',
      confirmColor: '#d54941',
      cancelText: '再想想',
    });
    if (!ok) return;
    this.setData({ leaving: true, actionError: '' });
    try {
      await memberships.leave(current.id);
      this.setData({ leaving: false });
      wx.showToast({ title: pending ? '已撤回申请' : '已退出小区', icon: 'success' });
      await this.load();
    } catch (err) {
      this.setData({ leaving: false, actionError: messageOf(err) });
    }
  },

  onLargeText(e) {
    const on = Boolean(e.detail.value);
    settings.setLargeText(on);
    this.setData({ largeText: on });
  },

  onNotifications() {
    wx.navigateTo({ url: '/pages/notifications/index' });
  },

  onReports() {
    wx.switchTab({ url: '/pages/reports/index' });
  },

  onInspection() {
    wx.navigateTo({ url: '/pages/inspection/index' });
  },

  onStaff() {
    wx.navigateTo({ url: '/staff/index/index' });
  },

  onPrivacy() {
    wx.openPrivacyContract({});
  },

  onMyData() {
    wx.navigateTo({ url: '/pages/privacy/index' });
  },
});
