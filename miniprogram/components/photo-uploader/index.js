// Photos of a report: thumbnails with upload progress, a failed one offers 重试, an add tile.
// The component chooses and compresses; the page uploads (it owns the draft that must survive).
const MAX = 9;

function choose(count) {
  return new Promise((resolve, reject) => {
    wx.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: ['camera', 'album'],
      sizeType: ['compressed'],
      success: (res) => resolve((res.tempFiles || []).map((f) => f.tempFilePath)),
      fail: reject,
    });
  });
}

/** A second pass for large photos from the album; the original path when compression fails. */
function compress(path) {
  if (typeof wx.compressImage !== 'function') return Promise.resolve(path);
  return new Promise((resolve) => {
    wx.compressImage({ src: path, quality: 70, success: (res) => resolve(res.tempFilePath || path), fail: () => resolve(path) });
  });
}

Component({
  properties: {
    photos: { type: Array, value: [] }, // {path, status: waiting|uploading|done|failed, progress}
    max: { type: Number, value: MAX },
    disabled: { type: Boolean, value: false },
  },
  data: { error: '' },
  methods: {
    async onAdd() {
      const room = this.data.max - this.data.photos.length;
      if (room <= 0 || this.data.disabled) return;
      try {
        const paths = await choose(room);
        const compressed = await Promise.all(paths.map(compress));
        this.setData({ error: '' });
        if (compressed.length) this.triggerEvent('add', { paths: compressed });
      } catch (err) {
        // Cancelling the picker is not an error a person needs to read about.
        if (err && /cancel/i.test(err.errMsg || '')) return;
        this.setData({ error: '无法选择照片，请检查相册和相机权限' });
      }
    },
    onRemove(e) {
      this.triggerEvent('remove', { index: e.currentTarget.dataset.index });
    },
    onRetry() {
      this.triggerEvent('retry');
    },
    onPreview(e) {
      const urls = this.data.photos.map((p) => p.path);
      wx.previewImage({ urls, current: urls[e.currentTarget.dataset.index] });
    },
  },
});
