const reports = require('../../services/reports');
const uploads = require('../../services/uploads');
const settings = require('../../utils/settings');
const subscribe = require('../../utils/subscribe');
const format = require('../../utils/format');
const { ACTION_WORDS } = require('../../utils/report-words');
const { messageOf } = require('../../utils/errors');

const RATING_WORDS = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };
const HANDLER_WORDS = { committee_member: '居委会', property: '物业', owners_committee: '业委会' };

function eventView(e) {
  const handler = e.data && e.data.handler_name ? `：${HANDLER_WORDS[e.data.handler_kind] || ''} ${e.data.handler_name}` : '';
  return {
    id: e.id,
    at: format.dateTime(e.at),
    text: `${e.actor} ${ACTION_WORDS[e.action] || e.action}${handler}`,
    note: e.note,
    photos: (e.photos || []).map(uploads.photoView),
  };
}

function view(r) {
  return {
    id: r.id,
    title: [r.category && r.category.name, r.building].filter(Boolean).join(' · '),
    description: r.description,
    status: r.status_text,
    reply: r.reply,
    rating: r.rating ? RATING_WORDS[r.rating] : '',
    isPublic: r.is_public,
    supports: r.support_count,
    photos: (r.photos || []).map(uploads.photoView),
    timeline: (r.timeline || []).map(eventView).reverse(),
    canRate: (r.allowed_actions || []).includes('rate'),
    canSupport: (r.allowed_actions || []).includes('support') && !r.supported,
    reworked: r.rework_count > 0,
  };
}

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    report: null,
    ratings: [
      { value: 'satisfied', label: '满意' },
      { value: 'basically_satisfied', label: '基本满意' },
      { value: 'dissatisfied', label: '不满意' },
    ],
    acting: false,
    actionError: '',
  },

  onLoad(query) {
    this.reportId = query && query.id;
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      this.setData({ status: 'ready', report: view(await reports.get(this.reportId)) });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: messageOf(err) });
    }
  },

  onRetry() {
    return this.load();
  },

  async onRate(e) {
    if (this.data.acting) return;
    const rating = e.currentTarget.dataset.value;
    this.setData({ acting: true, actionError: '' });
    try {
      const updated = await reports.rate(this.reportId, rating);
      this.setData({ acting: false, report: view(updated) });
      wx.showToast({ title: rating === 'dissatisfied' ? '已反馈，居委会将重新处理' : '感谢您的评价', icon: 'none' });
    } catch (err) {
      this.setData({ acting: false, actionError: messageOf(err) });
    }
  },

  async onSupport() {
    if (this.data.acting) return;
    const asking = subscribe.ask('report');
    this.setData({ acting: true, actionError: '' });
    try {
      await reports.support(this.reportId);
      this.setData({ acting: false });
      await this.load();
    } catch (err) {
      this.setData({ acting: false, actionError: messageOf(err) });
    }
    await asking;
  },

  onPreview(e) {
    const urls = this.data.report.photos.map((p) => p.url);
    wx.previewImage({ urls, current: e.currentTarget.dataset.current });
  },
});
