// Pages show `message` from ApiError; anything else (a bug) still gets a sentence a resident understands.
const GENERIC = '出了点问题，请稍后重试';

function messageOf(err) {
  return (err && err.name === 'ApiError' && err.message) || GENERIC;
}

module.exports = { messageOf, GENERIC };
