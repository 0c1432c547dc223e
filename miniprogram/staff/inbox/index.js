const reports = require('../../services/reports');
const settings = require('../../utils/settings');
const format = require('../../utils/format');
const { PROVISIONAL } = require('../../utils/report-words');
const session = require('../utils/session');

const FILTERS = [
  { key: 'overdue', label: '超期' },
  { key: 'submitted', label: '待受理' },
  { key: 'accepted', label: '待联系' },
  { key: 'contacted', label: '待安排' },
  { key: 'in_progress', label: '处理中' },
  { key: 'resolved', label: '待评价' },
  { key: 'all', label: '全部' },
];

function query(key) {
  if (key === 'overdue') return { overdue: true };
  if (key === 'all') return {};
  return { status: key };
}

function view(r) {
  return {
    id: r.id,
    title: [r.category && r.category.name, r.community && r.community.name, r.building].filter(Boolean).join(' · '),
    description: r.description,
    status: r.status_text,
    overdue: r.overdue,
    provisional: r.deadlines_provisional ? PROVISIONAL : '',
    created: format.dateTime(r.created_at),
    supports: r.support_count,
  };
}

Page({
  data: {
    largeText: false,
    filters: FILTERS,
    filter: 'overdue',
    status: 'loading',
    errorMessage: '',
    items: [],
    total: 0,
  },

  onLoad(q) {
    if (q && q.filter && FILTERS.some((f) => f.key === q.filter)) this.setData({ filter: q.filter });
  },

  onShow() {
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    const { filter } = this.data;
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      const res = await reports.inbox(query(filter));
      if (filter !== this.data.filter) return; // a newer filter's answer wins
      this.setData({ status: 'ready', items: res.items.map(view), total: res.total });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: session.handle(err) });
    }
  },

  onFilter(e) {
    this.setData({ filter: e.currentTarget.dataset.key });
    return this.load();
  },

  onRetry() {
    return this.load();
  },

  onOpen(e) {
    wx.navigateTo({ url: `/staff/report/index?id=${e.currentTarget.dataset.id}` });
  },
});
