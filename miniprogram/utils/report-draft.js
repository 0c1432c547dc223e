// The 随手拍 draft lives in storage from the first keystroke until the server accepts the report,
// so a failed upload, a phone call or a closed app loses nothing. Photos keep their local path and,
// once uploaded, their server id: a retry uploads only what is missing.
const KEY = 'report.draft';

function empty() {
  return {
    categoryId: null,
    description: '',
    building: '',
    latitude: null,
    longitude: null,
    place: '',
    isPublic: true,
    photos: [], // {path, id|null, status: 'waiting'|'uploading'|'done'|'failed', progress}
  };
}

function load() {
  const draft = wx.getStorageSync(KEY);
  if (!draft || typeof draft !== 'object') return empty();
  // An upload cut off by a closed app did not finish: it waits for the next try.
  const photos = (draft.photos || []).map((p) => (p.status === 'uploading' ? Object.assign({}, p, { status: 'waiting', progress: 0 }) : p));
  return Object.assign(empty(), draft, { photos });
}

function save(draft) {
  wx.setStorageSync(KEY, draft);
}

function clear() {
  wx.removeStorageSync(KEY);
}

function isBlank(draft) {
  return !draft.categoryId && !draft.description && !draft.photos.length && !draft.building;
}

module.exports = { load, save, clear, empty, isBlank, KEY };
