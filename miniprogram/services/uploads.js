const { upload: uploadFile, absoluteUrl } = require('./request');

/**
 * One photo (multipart field "file") -> {id, url, thumb_url, width, height}.
 * onProgress(percent) follows the upload; as: 'staff' sends the staff token.
 */
function upload(filePath, { onProgress, as } = {}) {
  return uploadFile({ path: '/uploads', filePath, name: 'file', onProgress, as });
}

/** A photo from an API answer with links usable in <image src>. */
function photoView(photo = {}) {
  return { id: photo.id, url: absoluteUrl(photo.url), thumb: absoluteUrl(photo.thumb_url || photo.url) };
}

module.exports = { upload, photoView };
