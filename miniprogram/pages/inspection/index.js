// The volunteer supervisor's page: volunteer, wait for the committee, then grade each point the
// street drew at random (A/B/C with a photo) and submit the checklist.
const inspections = require('../../services/inspections');
const uploads = require('../../services/uploads');
const settings = require('../../utils/settings');
const { messageOf } = require('../../utils/errors');

const KIND_WORDS = { road: '道路', bin: '垃圾箱房', fire_lane: '消防通道' };

function choosePhoto() {
  return new Promise((resolve, reject) => {
    wx.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: ['camera', 'album'],
      sizeType: ['compressed'],
      success: (res) => resolve(res.tempFiles[0].tempFilePath),
      fail: reject,
    });
  });
}

function checklistView(inspection, photos) {
  const items = inspection.items.map((item) => ({
    id: item.id,
    title: `${KIND_WORDS[item.kind] || item.kind} · ${item.point}`,
    indicator: item.indicator_code,
    grade: item.grade,
    photoId: item.photo_id || (photos[item.id] && photos[item.id].id) || null,
    thumb: photos[item.id] ? photos[item.id].thumb : '',
  }));
  return {
    id: inspection.id,
    community: inspection.community_name,
    submitted: inspection.status === 'submitted',
    seed: inspection.seed,
    items,
    done: items.filter((i) => i.grade && i.photoId).length,
  };
}

Page({
  data: {
    largeText: false,
    status: 'loading',
    errorMessage: '',
    stage: '', // none | pending | rejected | empty | checklist
    checklist: null,
    grades: ['A', 'B', 'C'],
    busy: false,
    actionError: '',
  },

  onLoad(query) {
    this.inspectionId = query && query.id;
    this.photos = {};
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    this.setData({ status: 'loading', errorMessage: '' });
    try {
      if (this.inspectionId) {
        this.show(await inspections.get(this.inspectionId));
        return;
      }
      const { volunteer } = await inspections.myVolunteering();
      if (!volunteer) {
        this.setData({ status: 'ready', stage: 'none' });
        return;
      }
      if (volunteer.status === 'pending') {
        this.setData({ status: 'ready', stage: 'pending' });
        return;
      }
      const page = await inspections.mine({ status: 'assigned' });
      if (!page.items.length) {
        this.setData({ status: 'ready', stage: 'empty' });
        return;
      }
      this.inspectionId = page.items[0].id;
      this.show(page.items[0]);
    } catch (err) {
      this.setData({ status: 'error', errorMessage: messageOf(err) });
    }
  },

  show(inspection) {
    this.setData({ status: 'ready', stage: 'checklist', checklist: checklistView(inspection, this.photos) });
  },

  onRetry() {
    return this.load();
  },

  async onVolunteer() {
    if (this.data.busy) return;
    this.setData({ busy: true, actionError: '' });
    try {
      await inspections.volunteer();
      this.setData({ stage: 'pending' });
    } catch (err) {
      this.setData({ actionError: messageOf(err) });
    }
    this.setData({ busy: false });
  },

  async onPhoto(e) {
    const itemId = e.currentTarget.dataset.item;
    if (this.data.busy) return;
    this.setData({ busy: true, actionError: '' });
    try {
      const path = await choosePhoto();
      const photo = uploads.photoView(await uploads.upload(path));
      this.photos[itemId] = photo;
      const items = this.data.checklist.items.map((i) => (i.id === itemId ? Object.assign({}, i, { photoId: photo.id, thumb: photo.thumb }) : i));
      this.setData({ 'checklist.items': items });
    } catch (err) {
      if (!(err && /cancel/i.test(err.errMsg || ''))) this.setData({ actionError: messageOf(err) });
    }
    this.setData({ busy: false });
  },

  async onGrade(e) {
    const { item: itemId, grade } = e.currentTarget.dataset;
    const item = this.data.checklist.items.find((i) => i.id === itemId);
    if (this.data.busy || !item) return;
    if (!item.photoId) {
      this.setData({ actionError: `请先为“${item.title}”拍照` });
      return;
    }
    this.setData({ busy: true, actionError: '' });
    try {
      this.show(await inspections.grade(this.inspectionId, itemId, { grade, photoId: item.photoId }));
    } catch (err) {
      this.setData({ actionError: messageOf(err) });
    }
    this.setData({ busy: false });
  },

  async onSubmit() {
    if (this.data.busy) return;
    this.setData({ busy: true, actionError: '' });
    try {
      this.show(await inspections.submit(this.inspectionId));
    } catch (err) {
      this.setData({ actionError: messageOf(err) });
    }
    this.setData({ busy: false });
  },
});
