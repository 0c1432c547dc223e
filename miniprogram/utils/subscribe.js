// wx.requestSubscribeMessage must run inside a tap handler, at the moment the resident acts
// (submitting a report, answering a survey), so there is no time to ask the server then. The
// template ids come from the server (GET /wechat/templates: the ids it sends with, only the
// configured ones); refresh() fetches them at launch and keeps them in storage, ask() reads that
// copy. No copy yet means nothing is asked. Whatever the answer, the action itself goes on: a
// refusal only means no WeChat push (the message still appears in the 消息 inbox).
const config = require('../config');
const notifications = require('../services/notifications');

const KEY = 'subscribe.templates';

function cached() {
  const stored = wx.getStorageSync(KEY);
  return stored && typeof stored === 'object' ? stored : {};
}

/** Fetches the template ids and stores them; resolves with them, or with the stored ones on failure. */
async function refresh() {
  try {
    const templates = await notifications.subscribeTemplates();
    wx.setStorageSync(KEY, templates || {});
    return templates || {};
  } catch (err) {
    return cached();
  }
}

function templateIds(moment) {
  const templates = cached();
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

module.exports = { ask, refresh, templateIds, KEY };
