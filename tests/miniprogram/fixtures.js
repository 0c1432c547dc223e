// Builders on top of the server's RECORDED answers (build/recordings, helpers/recordings.js).
// Every body here starts from a recording; where a test needs a state no recording holds (a left
// membership, a second search result, an empty page) the recorded body is copied and the changed
// fields are set explicitly: those are marked HAND-MODIFIED at the call site or below.
const rec = require('./helpers/recordings');

/** The recorded community (GET /communities?q=建业: CommunityOut). */
const community = rec.body('communities_search').items[0];

/** The recorded application (POST /memberships: MembershipOut); overrides are HAND-MODIFIED. */
function membership(overrides = {}) {
  return Object.assign(rec.body('membership_apply'), overrides);
}

/** The recorded resident's GET /me, with these memberships (HAND-MODIFIED unless recorded). */
function me(memberships = []) {
  return Object.assign(rec.body('me_resident'), { memberships });
}

/** A page of items in the server's page shape ({items, page, per_page, total}); HAND-MODIFIED. */
function page(items, { page: pageNo = 1, perPage = 20, total = items.length } = {}) {
  return { items, page: pageNo, per_page: perPage, total };
}

/** HAND-MODIFIED: the recorded community under another id and name (for paging the search). */
function communityN(n) {
  return Object.assign(rec.body('communities_search').items[0], { id: 100 + n, code: `XH-X-${n}`, name: `测试小区${n}号` });
}

module.exports = { community, membership, me, page, communityN };
