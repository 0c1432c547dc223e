// 随手拍: category -> place -> similar open reports ("me too") -> photos and words -> submit.
// Everything typed or chosen is written to the draft at once (utils/report-draft), so a failed
// upload, a phone call or a closed app loses nothing; photos already uploaded are not sent again.
const reports = require('../../services/reports');
const uploads = require('../../services/uploads');
const config = require('../../config');
const settings = require('../../utils/settings');
const subscribe = require('../../utils/subscribe');
const drafts = require('../../utils/report-draft');
const { messageOf } = require('../../utils/errors');

const DESCRIPTION_LIMIT = 500;

function similarView(r) {
  return {
    id: r.id,
    title: [r.category && r.category.name, r.building].filter(Boolean).join(' · '),
    description: r.description,
    status: r.status_text,
    supports: r.support_count,
    supported: r.supported,
    canSupport: (r.allowed_actions || []).includes('support') && !r.supported,
  };
}

Page({
  data: {
    largeText: false,
    step: 'loading', // loading | error | category | emergency | place | similar | details | done
    errorMessage: '',
    categories: [],
    category: null,
    emergencyNumbers: config.EMERGENCY_NUMBERS,
    draft: drafts.empty(),
    similar: [],
    checking: false,
    supporting: 0,
    submitting: false,
    submitError: '',
    fieldError: '',
    created: null,
  },

  onLoad() {
    this.setData({ largeText: settings.isLargeText(), draft: drafts.load() });
    return this.load();
  },

  async load() {
    this.setData({ step: 'loading', errorMessage: '' });
    try {
      const res = await reports.categories();
      const categories = res.items;
      const category = categories.find((c) => c.id === this.data.draft.categoryId && !c.emergency) || null;
      // A saved draft resumes at its details, where its photos and words are.
      this.setData({ categories, category, step: category ? 'details' : 'category' });
    } catch (err) {
      this.setData({ step: 'error', errorMessage: messageOf(err) });
    }
  },

  onRetry() {
    return this.load();
  },

  save(changes) {
    const draft = Object.assign({}, this.data.draft, changes);
    drafts.save(draft);
    this.setData({ draft });
    return draft;
  },

  onCategory(e) {
    const category = this.data.categories.find((c) => c.id === e.currentTarget.dataset.id);
    if (!category) return;
    if (category.emergency) {
      // Not a report: the committee cannot answer in time. Offer the call instead.
      this.setData({ step: 'emergency', category });
      return;
    }
    this.save({ categoryId: category.id, isPublic: category.public ? this.data.draft.isPublic : false });
    this.setData({ category, step: 'place', fieldError: '' });
  },

  onCall(e) {
    wx.makePhoneCall({ phoneNumber: String(e.currentTarget.dataset.number) });
  },

  onBackToCategories() {
    this.setData({ step: 'category', category: null });
  },

  onBuilding(e) {
    this.save({ building: e.detail.value });
    this.setData({ fieldError: '' });
  },

  onChooseLocation() {
    wx.chooseLocation({
      success: (res) => {
        this.save({ latitude: res.latitude, longitude: res.longitude, place: res.name || res.address || '地图上选的位置' });
        this.setData({ fieldError: '' });
      },
      fail: (err) => {
        if (err && /cancel/i.test(err.errMsg || '')) return;
        this.setData({ fieldError: '无法打开地图选点，请填写楼号' });
      },
    });
  },

  onClearLocation() {
    this.save({ latitude: null, longitude: null, place: '' });
  },

  /** Before a new report: open reports of this kind here, so a neighbour can say "me too". */
  async onPlaceNext() {
    const { draft } = this.data;
    if (!draft.building.trim() && draft.latitude === null) {
      this.setData({ fieldError: '请填写楼号，或在地图上选择位置' });
      return;
    }
    this.setData({ checking: true, fieldError: '' });
    try {
      const res = await reports.similar({
        categoryId: draft.categoryId,
        building: draft.building.trim(),
        latitude: draft.latitude === null ? undefined : draft.latitude,
        longitude: draft.longitude === null ? undefined : draft.longitude,
      });
      const similar = res.items.map(similarView);
      this.setData({ checking: false, similar, step: similar.length ? 'similar' : 'details' });
    } catch (err) {
      // The check is a courtesy: failing it must not stop a report.
      this.setData({ checking: false, similar: [], step: 'details' });
    }
  },

  async onSupport(e) {
    const id = e.currentTarget.dataset.id;
    if (this.data.supporting) return;
    this.setData({ supporting: id, submitError: '' });
    try {
      const updated = await reports.support(id);
      const similar = this.data.similar.map((r) => (r.id === id ? similarView(updated) : r));
      drafts.clear();
      this.setData({ supporting: 0, similar, draft: drafts.empty() });
      wx.showToast({ title: '已附议，处理进展会通知您', icon: 'none' });
    } catch (err) {
      this.setData({ supporting: 0, submitError: messageOf(err) });
    }
  },

  onNotSame() {
    this.setData({ step: 'details', submitError: '' });
  },

  onEditPlace() {
    this.setData({ step: 'place' });
  },

  onChangeCategory() {
    this.setData({ step: 'category' });
  },

  onDescription(e) {
    this.save({ description: e.detail.value });
    this.setData({ fieldError: '' });
  },

  onPublic(e) {
    this.save({ isPublic: Boolean(e.detail.value) });
  },

  onPhotosAdd(e) {
    const added = e.detail.paths.map((path) => ({ path, id: null, status: 'waiting', progress: 0 }));
    this.save({ photos: this.data.draft.photos.concat(added) });
    return this.uploadPending();
  },

  onPhotoRemove(e) {
    const photos = this.data.draft.photos.filter((_, i) => i !== e.detail.index);
    this.save({ photos });
  },

  onPhotoRetry() {
    return this.uploadPending();
  },

  setPhoto(path, changes) {
    const photos = this.data.draft.photos.map((p) => (p.path === path ? Object.assign({}, p, changes) : p));
    this.save({ photos });
  },

  /** Uploads every photo without a server id, one at a time; resolves with how many failed. */
  async uploadPending() {
    if (this.uploading) return this.uploading;
    this.uploading = (async () => {
      let failed = 0;
      let last = '';
      for (const photo of this.data.draft.photos.filter((p) => p.status !== 'done')) {
        this.setPhoto(photo.path, { status: 'uploading', progress: 0 });
        try {
          const res = await uploads.upload(photo.path, {
            onProgress: (progress) => this.setPhoto(photo.path, { progress }),
          });
          this.setPhoto(photo.path, { status: 'done', progress: 100, id: res.id });
        } catch (err) {
          failed += 1;
          last = messageOf(err);
          this.setPhoto(photo.path, { status: 'failed', progress: 0 });
        }
      }
      this.uploading = null;
      if (failed) this.setData({ submitError: `有 ${failed} 张照片上传失败（${last}），请点照片下方的“重试上传”` });
      return failed;
    })();
    return this.uploading;
  },

  async onSubmit() {
    if (this.data.submitting) return;
    const { draft } = this.data;
    const description = draft.description.trim();
    if (!description) {
      this.setData({ fieldError: '请描述一下问题' });
      return;
    }
    if (description.length > DESCRIPTION_LIMIT) {
      this.setData({ fieldError: `描述不能超过${DESCRIPTION_LIMIT}个字` });
      return;
    }
    // Asked in the tap itself, as WeChat requires.
    const asking = subscribe.ask('report');
    this.setData({ submitting: true, submitError: '', fieldError: '' });
    const failed = await this.uploadPending();
    if (failed) {
      this.setData({ submitting: false });
      await asking;
      return;
    }
    try {
      const latest = this.data.draft;
      const created = await reports.create({
        categoryId: latest.categoryId,
        description,
        building: latest.building.trim(),
        latitude: latest.latitude,
        longitude: latest.longitude,
        isPublic: latest.isPublic,
        photoIds: latest.photos.map((p) => p.id),
      });
      drafts.clear();
      this.setData({ submitting: false, step: 'done', created: { id: created.id, status: created.status_text }, draft: drafts.empty() });
    } catch (err) {
      this.setData({ submitting: false, submitError: messageOf(err) });
    }
    await asking;
  },

  onOpenCreated() {
    wx.redirectTo({ url: `/pages/report-detail/index?id=${this.data.created.id}` });
  },

  onDone() {
    wx.switchTab({ url: '/pages/reports/index' });
  },
});
