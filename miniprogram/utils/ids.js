// Idempotency keys for writes a phone may retry: random enough that two residents never collide.
function randomHex(n) {
  let out = '';
  for (let i = 0; i < n; i++) out += Math.floor(Math.random() * 16).toString(16);
  return out;
}

function idempotencyKey(prefix = 'mp') {
  return `${prefix}-${Date.now().toString(36)}-${randomHex(16)}`;
}

module.exports = { idempotencyKey };
