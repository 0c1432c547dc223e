// 我的数据与注销: what the server holds about the resident (GET /me/data) and deleting the account
// (DELETE /me) after a confirmation. Survey answers are anonymous: the server's own words say so.
const me = require('../../services/me');
const settings = require('../../utils/settings');
const { confirm } = require('../../utils/modal');
const format = require('../../utils/format');
const membership = require('../../utils/membership');
const { messageOf } = require('../../utils/errors');

const DELETE_WARNING = '注销后，您的微信标识、手机号、小区绑定、消息和上传的照片将被删除且无法恢复；'
  + '您反映的问题会保留但不再显示您的身份，匿名问卷答案仍计入统计。确定注销吗？';

function view(d) {
  return {
    id: d.profile.id,
    openid: d.profile.openid,
    since: format.date(d.profile.created_at),
    phone: d.phone ? d.phone.phone : '',
    memberships: d.memberships.map((m) => ({
      id: m.id,
      community: m.community,
      address: membership.address(m),
      status: membership.statusText(m),
    })),
    reports: d.reports.map((r) => ({ id: r.id, title: `${r.category}：${r.description}`, photos: r.photos.length, at: format.date(r.created_at) })),
    counts: {
      photos: d.photos.length,
      supports: d.supports.length,
      notifications: d.notifications.length,
      sessions: d.sessions.length,
      audit: d.audit.length,
    },
    surveys: d.survey_participations.map((p) => ({ id: p.survey_id, title: p.title, forHousehold: p.for_household })),
    answersNote: d.survey_answers,
  };
}

Page({
  data: {
    largeText: false,
    status: 'loading', // 'loading' | 'error' | 'ready' | 'deleted'
    errorMessage: '',
    held: null,
    deleting: false,
    actionError: '',
  },

  onLoad() {
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const held = view(await me.data());
      this.setData({ status: 'ready', held });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: messageOf(err) });
    }
  },

  onRetry() {
    return this.load();
  },

  async onDelete() {
    if (this.data.deleting) return;
    const ok = await confirm({
      title: '注销账号',
      content: DELETE_WARNING,
      confirmText: '注销',
      confirmColor: '#d54941',
      cancelText: '再想想',
    });
    if (!ok) return;
    this.setData({ deleting: true, actionError: '' });
    try {
      await me.remove();
      this.setData({ deleting: false, status: 'deleted', held: null });
    } catch (err) {
      this.setData({ deleting: false, actionError: messageOf(err) });
    }
  },
});
