// A QR code from wx.getwxacodeunlimit arrives as onLoad({scene}) with the scene URL-encoded.
// Ours carry the community code, either bare ("SH-001") or as "c=SH-001" to leave room for more keys.
function communityCode(query) {
  if (!query || !query.scene) return null;
  const scene = decodeURIComponent(query.scene).trim();
  if (!scene) return null;
  if (!scene.includes('=')) return scene;
  for (const pair of scene.split('&')) {
    const [key, value] = pair.split('=');
    if ((key === 'c' || key === 'code') && value) return value;
  }
  return null;
}

module.exports = { communityCode };
