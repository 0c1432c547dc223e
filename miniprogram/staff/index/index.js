// Staff workbench. Opening it signs in with WeChat (POST /auth/staff-wechat-login with a fresh
// wx.login code); a WeChat account not bound to a staff account yet gets the one-time bind form
// (username + password, POST /auth/staff-bind), after which the workbench opens without the
// password. When WeChat itself is unavailable (no credentials in development, an outage) the same
// form signs in with the password alone. The staff token is kept apart from the resident's.
const staff = require('../../services/staff');
const settings = require('../../utils/settings');
const { messageOf } = require('../../utils/errors');

const ROLE_WORDS = { committee: '居委会', street: '街道', district: '区', city: '市' };

Page({
  data: {
    largeText: false,
    status: 'loading', // loading | form | ready | signed-out | error
    mode: 'bind', // the form's purpose: bind (WeChat account not bound yet) | login (WeChat unavailable)
    errorMessage: '',
    form: { username: '', password: '' },
    submitting: false,
    loginError: '',
    person: null,
    unbinding: false,
  },

  onShow() {
    this.setData({ largeText: settings.isLargeText() });
    if (this.data.status === 'signed-out') return undefined;
    return this.load();
  },

  async load(retried = false) {
    this.setData({ status: 'loading', errorMessage: '' });
    if (!staff.isLoggedIn()) {
      const signedIn = await this.signInWithWeChat();
      if (!signedIn) return;
    }
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
      // An expired staff session (request.js has dropped it): sign in with WeChat again, once.
      if (err.status === 401 && !retried) return this.load(true);
      if (err.status === 401) this.setData({ status: 'form', mode: 'login', loginError: err.message });
      else this.setData({ status: 'error', errorMessage: messageOf(err) });
    }
  },

  /** true when signed in; otherwise the page shows the bind form, the password form or an error. */
  async signInWithWeChat() {
    try {
      await staff.wechatLogin();
      return true;
    } catch (err) {
      if (err.error === 'staff_not_bound') {
        this.setData({ status: 'form', mode: 'bind', loginError: '' });
      } else if (err.status === 503 || err.error === 'wx_login_failed') {
        this.setData({ status: 'form', mode: 'login', loginError: '暂时无法使用微信登录，请用账号密码登录' });
      } else {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
      return false;
    }
  },

  onRetry() {
    return this.load();
  },

  onField(e) {
    this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, loginError: '' });
  },

  async onSubmit() {
    if (this.data.submitting) return;
    const username = this.data.form.username.trim();
    const { password } = this.data.form;
    if (!username || !password) {
      this.setData({ loginError: '请填写账号和密码' });
      return;
    }
    this.setData({ submitting: true, loginError: '' });
    try {
      if (this.data.mode === 'bind') await staff.bind(username, password);
      else await staff.login(username, password);
      this.setData({ submitting: false, form: { username: '', password: '' } });
      await this.load();
    } catch (err) {
      this.setData({ submitting: false, loginError: messageOf(err) });
    }
  },

  async onUnbind() {
    if (this.data.unbinding) return;
    this.setData({ unbinding: true });
    try {
      await staff.unbind();
      this.setData({ unbinding: false, status: 'form', mode: 'bind', person: null, loginError: '' });
      wx.showToast({ title: '已解除绑定', icon: 'none' });
    } catch (err) {
      this.setData({ unbinding: false });
      wx.showToast({ title: messageOf(err), icon: 'none' });
    }
  },

  async onLogout() {
    try {
      await staff.logout();
    } catch (err) {
      // The local token is gone either way; the server's copy expires by itself.
    }
    this.setData({ status: 'signed-out', person: null });
  },

  onGo(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url });
  },
});
