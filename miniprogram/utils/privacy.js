// WeChat delivers wx.onNeedPrivacyAuthorization to one global handler, but the popup that must
// answer it lives in whichever page is showing. Popups register here; the top one answers.
const popups = [];
let installed = false;

function install() {
  if (installed || typeof wx.onNeedPrivacyAuthorization !== 'function') return;
  installed = true;
  wx.onNeedPrivacyAuthorization((resolve, eventInfo) => {
    const top = popups[popups.length - 1];
    // With no popup on screen nobody can agree; refusing lets the calling API fail visibly
    // instead of hanging forever.
    if (top) top(resolve, eventInfo);
    else resolve({ event: 'disagree' });
  });
}

/** Puts `handler` on top (called again when its page shows); returns the unregister function. */
function register(handler) {
  unregister(handler);
  popups.push(handler);
  return () => unregister(handler);
}

function unregister(handler) {
  const index = popups.indexOf(handler);
  if (index >= 0) popups.splice(index, 1);
}

module.exports = { install, register };
