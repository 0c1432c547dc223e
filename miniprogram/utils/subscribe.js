// wx.requestSubscribeMessage must run inside a tap handler, at the moment the resident acts
// (submitting a report, answering a survey). Template ids come from config.js (or ext.json): the
// server does not publish them. Whatever the answer, the action itself goes on: a refusal only means no WeChat push
// (the message still appears in the 消息 inbox).
const config = require('../config');

function templateIds(moment) {
  const templates = config.subscribeTemplates();
  return (config.SUBSCRIBE_MOMENTS[moment] || [])
    .map((kind) => templates[kind])
    .filter(Boolean);
}

/** Resolves with {asked, accepted: [ids]} and never rejects. */
function ask(moment) {
  const tmplIds = templateIds(moment);
  if (!tmplIds.length || typeof wx.requestSubscribeMessage !== 'function') {
    return Promise.resolve({ asked: false, accepted: [] });
  }
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds,
      success(res) {
        resolve({ asked: true, accepted: tmplIds.filter((id) => res && res[id] === 'accept') });
      },
      fail() {
        resolve({ asked: true, accepted: [] });
      },
    });
  });
}

module.exports = { ask, templateIds };
