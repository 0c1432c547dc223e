const communities = require('../../services/communities');
const memberships = require('../../services/memberships');
const settings = require('../../utils/settings');
const scene = require('../../utils/scene');
const membershipView = require('../../utils/membership');
const { messageOf } = require('../../utils/errors');

const FIELD_LIMIT = 20;

function communityView(c) {
  const area = [c.district && c.district.name, c.street && c.street.name].filter(Boolean).join(' ');
  return { id: c.id, name: c.name, address: c.address || '', area };
}

function validate(form) {
  const errors = {};
  const building = (form.building || '').trim();
  const room = (form.room || '').trim();
  if (!building) errors.building = '请填写楼号';
  if (!room) errors.room = '请填写室号';
  for (const key of ['building', 'unit', 'room']) {
    if ((form[key] || '').trim().length > FIELD_LIMIT) errors[key] = `不能超过${FIELD_LIMIT}个字`;
  }
  return errors;
}

/**
 * The server's 422 puts field messages under details.fields: {field: ["msg", ...]} (a bare
 * {field: "msg"} is accepted too); only our three fields matter here.
 */
function fieldErrorsFrom(details) {
  const errors = {};
  const fields = (details && details.fields && typeof details.fields === 'object') ? details.fields : (details || {});
  for (const key of ['building', 'unit', 'room']) {
    const value = fields[key];
    if (typeof value === 'string') errors[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') errors[key] = value[0];
  }
  return errors;
}

Page({
  data: {
    largeText: false,
    step: 'search', // 'search' | 'form' | 'done'
    // search step
    query: '',
    results: [],
    page: 0,
    total: 0,
    searchStatus: '', // '' | 'loading' | 'error' | 'empty'
    searchError: '',
    loadingMore: false,
    hasMore: false,
    // scene (QR code) lookup
    sceneStatus: '', // '' | 'loading' | 'error'
    sceneError: '',
    // form step
    community: null,
    form: { building: '', unit: '', room: '' },
    fieldErrors: {},
    submitting: false,
    submitError: '',
    // done step
    applied: null,
  },

  onLoad(query) {
    this.setData({ largeText: settings.isLargeText() });
    const code = scene.communityCode(query);
    if (code) return this.openByCode(code);
    return undefined;
  },

  onShow() {
    this.setData({ largeText: settings.isLargeText() });
  },

  onReachBottom() {
    return this.onLoadMore();
  },

  async openByCode(code) {
    this.setData({ sceneStatus: 'loading', sceneError: '' });
    try {
      const community = await communities.getByCode(code);
      this.setData({ sceneStatus: '', step: 'form', community: communityView(community) });
    } catch (err) {
      this.setData({ sceneStatus: 'error', sceneError: messageOf(err) });
    }
  },

  onSceneFallback() {
    this.setData({ sceneStatus: '', sceneError: '', step: 'search' });
  },

  onQueryChange(e) {
    this.setData({ query: e.detail.value });
  },

  onSearch(e) {
    const value = e && e.detail && typeof e.detail.value === 'string' ? e.detail.value : this.data.query;
    const query = value.trim();
    if (!query) {
      this.setData({ query, searchStatus: 'error', searchError: '请输入小区名称', results: [] });
      return undefined;
    }
    this.setData({ query, results: [], page: 0, total: 0, hasMore: false, searchStatus: 'loading', searchError: '' });
    return this.fetchPage(1);
  },

  onLoadMore() {
    if (!this.data.hasMore || this.data.loadingMore || this.data.searchStatus === 'loading') return undefined;
    this.setData({ loadingMore: true });
    return this.fetchPage(this.data.page + 1);
  },

  async fetchPage(page) {
    const { query } = this.data;
    try {
      const res = await communities.search({ q: query, page });
      // A newer search may have started while this one was in flight; its results win.
      if (query !== this.data.query) return;
      const results = (page === 1 ? [] : this.data.results).concat(res.items.map(communityView));
      this.setData({
        results,
        page,
        total: res.total,
        hasMore: results.length < res.total,
        loadingMore: false,
        searchStatus: results.length ? '' : 'empty',
      });
    } catch (err) {
      if (page === 1) this.setData({ searchStatus: 'error', searchError: messageOf(err) });
      else {
        this.setData({ loadingMore: false });
        wx.showToast({ title: messageOf(err), icon: 'none' });
      }
    }
  },

  onPick(e) {
    const id = e.currentTarget.dataset.id;
    const community = this.data.results.find((c) => c.id === id);
    if (!community) return;
    this.setData({ step: 'form', community, fieldErrors: {}, submitError: '' });
  },

  onChangeCommunity() {
    this.setData({ step: 'search', community: null, submitError: '' });
  },

  onField(e) {
    const field = e.currentTarget.dataset.field;
    this.setData({ [`form.${field}`]: e.detail.value, [`fieldErrors.${field}`]: '' });
  },

  async onSubmit() {
    if (this.data.submitting) return;
    const fieldErrors = validate(this.data.form);
    if (Object.keys(fieldErrors).length) {
      this.setData({ fieldErrors, submitError: '' });
      return;
    }
    const { form, community } = this.data;
    this.setData({ submitting: true, submitError: '', fieldErrors: {} });
    try {
      const created = await memberships.apply({
        communityId: community.id,
        building: form.building.trim(),
        unit: form.unit.trim(),
        room: form.room.trim(),
      });
      const withName = Object.assign({ community: { name: community.name } }, created);
      this.setData({ step: 'done', submitting: false, applied: membershipView.present(withName) });
    } catch (err) {
      this.setData({ submitting: false, submitError: messageOf(err), fieldErrors: fieldErrorsFrom(err.details) });
    }
  },

  onDone() {
    wx.switchTab({ url: '/pages/home/index' });
  },
});
