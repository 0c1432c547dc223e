// Staff sign-in and workbench. The server has no endpoint that binds a WeChat account to a staff
// account, so committee members sign in with their staff username and password; the token is kept
// (apart from the resident's) until it expires or they sign out.
const staff = require('../../services/staff');
const settings = require('../../utils/settings');
const { messageOf } = require('../../utils/errors');

const ROLE_WORDS = { committee: '居委会', street: '街道', district: '区', city: '市' };

Page({
  data: {
    largeText: false,
    status: 'loading', // loading | login | ready | error
    errorMessage: '',
    form: { username: '', password: '' },
    submitting: false,
    loginError: '',
    person: null,
  },

  onShow() {
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    if (!staff.isLoggedIn()) {
      this.setData({ status: 'login' });
      return;
    }
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const person = await staff.me();
      this.setData({
        status: 'ready',
        person: {
          name: person.display_name || person.username,
          role: ROLE_WORDS[person.role] || person.role,
          scope: person.scope ? person.scope.name : '',
        },
      });
    } catch (err) {
      if (err.status === 401) this.setData({ status: 'login', loginError: err.message });
      else this.setData({ status: 'error', errorMessage: messageOf(err) });
    }
  },

  onRetry() {
    return this.load();
  },

  onField(e) {
    this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, loginError: '' });
  },

  async onLogin() {
    if (this.data.submitting) return;
    const username = this.data.form.username.trim();
    const { password } = this.data.form;
    if (!username || !password) {
      this.setData({ loginError: '请填写账号和密码' });
      return;
    }
    this.setData({ submitting: true, loginError: '' });
    try {
      await staff.login(username, password);
      this.setData({ submitting: false, form: { username: '', password: '' } });
      await this.load();
    } catch (err) {
      this.setData({ submitting: false, loginError: messageOf(err) });
    }
  },

  async onLogout() {
    try {
      await staff.logout();
    } catch (err) {
      // The local token is gone either way; the server's copy expires by itself.
    }
    this.setData({ status: 'login', person: null });
  },

  onGo(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url });
  },
});
