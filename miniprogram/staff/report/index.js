// Handling one report on the go: accept, contact, reject with a reason, assign a handler, resolve
// with a reply and after-photos. The buttons shown are the server's allowed_actions for this person.
const reports = require('../../services/reports');
const uploads = require('../../services/uploads');
const settings = require('../../utils/settings');
const format = require('../../utils/format');
const { ACTION_WORDS, PROVISIONAL } = require('../../utils/report-words');
const session = require('../utils/session');

const DIRECT = { accept: '受理', contact: '已联系居民' };
const FORMS = { reject: '不予受理', assign: '安排处理', resolve: '办结' };
const HANDLERS = [
  { value: 'property', label: '物业' },
  { value: 'committee_member', label: '居委会成员' },
  { value: 'owners_committee', label: '业委会' },
];

function view(r) {
  const allowed = r.allowed_actions || [];
  return {
    id: r.id,
    title: [r.category && r.category.name, r.community && r.community.name, r.building].filter(Boolean).join(' · '),
    description: r.description,
    status: r.status_text,
    overdue: r.overdue,
    deadline: r.resolve_due_at ? format.dateTime(r.resolve_due_at) : '',
    provisional: r.deadlines_provisional ? PROVISIONAL : '',
    photos: (r.photos || []).map(uploads.photoView),
    timeline: (r.timeline || []).map((e) => ({ id: e.id, text: `${e.actor} ${ACTION_WORDS[e.action] || e.action}`, at: format.dateTime(e.at), note: e.note })).reverse(),
    direct: allowed.filter((a) => DIRECT[a]).map((a) => ({ action: a, label: DIRECT[a] })),
    forms: allowed.filter((a) => FORMS[a]).map((a) => ({ action: a, label: FORMS[a] })),
  };
}

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    report: null,
    mode: '', // '' | reject | assign | resolve
    handlers: HANDLERS,
    form: { note: '', handlerKind: 'property', handlerName: '' },
    photos: [],
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
      this.setData({ status: 'ready', report: view(await reports.staffGet(this.reportId)) });
    } catch (err) {
      this.setData({ status: 'error', errorMessage: session.handle(err) });
    }
  },

  onRetry() {
    return this.load();
  },

  async act(body) {
    this.setData({ acting: true, actionError: '' });
    try {
      const updated = await reports.act(this.reportId, body);
      this.setData({ acting: false, mode: '', report: view(updated), photos: [], form: { note: '', handlerKind: 'property', handlerName: '' } });
      wx.showToast({ title: '已办理', icon: 'success' });
    } catch (err) {
      this.setData({ acting: false, actionError: session.handle(err) });
    }
  },

  onDirect(e) {
    if (this.data.acting) return undefined;
    return this.act({ action: e.currentTarget.dataset.action });
  },

  onMode(e) {
    this.setData({ mode: e.currentTarget.dataset.action, actionError: '' });
  },

  onCancel() {
    this.setData({ mode: '', actionError: '' });
  },

  onField(e) {
    this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value, actionError: '' });
  },

  onHandler(e) {
    this.setData({ 'form.handlerKind': e.currentTarget.dataset.value });
  },

  onPhotosAdd(e) {
    const added = e.detail.paths.map((path) => ({ path, id: null, status: 'waiting', progress: 0 }));
    this.setData({ photos: this.data.photos.concat(added) });
    return this.uploadPending();
  },

  onPhotoRemove(e) {
    this.setData({ photos: this.data.photos.filter((_, i) => i !== e.detail.index) });
  },

  onPhotoRetry() {
    return this.uploadPending();
  },

  setPhoto(path, changes) {
    this.setData({ photos: this.data.photos.map((p) => (p.path === path ? Object.assign({}, p, changes) : p)) });
  },

  async uploadPending() {
    let failed = 0;
    for (const photo of this.data.photos.filter((p) => p.status !== 'done')) {
      this.setPhoto(photo.path, { status: 'uploading', progress: 0 });
      try {
        const res = await uploads.upload(photo.path, { as: 'staff', onProgress: (progress) => this.setPhoto(photo.path, { progress }) });
        this.setPhoto(photo.path, { status: 'done', progress: 100, id: res.id });
      } catch (err) {
        failed += 1;
        this.setPhoto(photo.path, { status: 'failed' });
        this.setData({ actionError: `照片上传失败：${session.handle(err)}` });
      }
    }
    return failed;
  },

  async onConfirm() {
    if (this.data.acting) return undefined;
    const { mode, form } = this.data;
    const note = form.note.trim();
    if (mode === 'reject') {
      if (!note) return this.setData({ actionError: '请填写不予受理的原因，居民会看到' });
      return this.act({ action: 'reject', note });
    }
    if (mode === 'assign') {
      if (!form.handlerName.trim()) return this.setData({ actionError: '请填写处理人' });
      return this.act({ action: 'assign', handler_kind: form.handlerKind, handler_name: form.handlerName.trim(), note });
    }
    if (mode === 'resolve') {
      if (!note) return this.setData({ actionError: '请填写处理结果，居民会看到' });
      if (!this.data.photos.length) return this.setData({ actionError: '请拍一张处理后的照片' });
      if (await this.uploadPending()) return undefined;
      return this.act({ action: 'resolve', note, photo_ids: this.data.photos.map((p) => p.id) });
    }
    return undefined;
  },
});
