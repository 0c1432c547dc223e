const { request } = require('./request');

function list({ page = 1, perPage = 20, unread } = {}) {
  return request({ path: '/notifications', query: { page, per_page: perPage, unread: unread ? 'true' : undefined } });
}

function unreadCount() {
  return request({ path: '/notifications/unread-count' });
}

function markRead(id) {
  return request({ method: 'POST', path: '/notifications/{id}/read', params: { id } });
}

function markAllRead() {
  return request({ method: 'POST', path: '/notifications/read-all' });
}

/** {kind: template_id} for the subscribe-message templates the server sends with. */
function subscribeTemplates() {
  return request({ path: '/wechat/templates' });
}

module.exports = { list, unreadCount, markRead, markAllRead, subscribeTemplates };
