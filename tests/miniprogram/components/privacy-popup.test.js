const fs = require('fs');
const path = require('path');
const { load, render, textOf, all, dispatch, button, tap, flush, MP_ROOT } = require('../helpers/render');
const privacy = require('../../../miniprogram/utils/privacy');

const id = load('components/privacy-popup/index');

// utils/privacy installs the one global handler once per module instance; capture it.
let needAuthorization;
beforeAll(() => {
  wx.onNeedPrivacyAuthorization = (handler) => {
    needAuthorization = handler;
  };
  privacy.install();
});

// j-component does not fire `detached` on a root component it detaches; a page unload would.
function remove(comp) {
  comp.triggerLifeTime('detached');
  comp.detach();
}

function ask() {
  const resolve = jest.fn();
  needAuthorization(resolve, { referrer: 'wx.chooseMedia' });
  return resolve;
}

test('hidden until WeChat asks, then names the contract', async () => {
  wx.getPrivacySetting = ({ success }) => success({ needAuthorization: true, privacyContractName: '《文明小区隐私保护指引》' });
  const comp = render(id);
  expect(textOf(comp)).toBe('');
  ask();
  await flush();
  expect(textOf(comp)).toContain('《文明小区隐私保护指引》');
  remove(comp);
});

test('同意并继续 answers agree through the agreePrivacyAuthorization button', async () => {
  const comp = render(id);
  const resolve = ask();
  await flush();
  // The agreement itself is the native button's open-type event, not a tap.
  dispatch(button(comp, '同意并继续'), 'agreeprivacyauthorization');
  await flush();
  expect(resolve).toHaveBeenCalledWith({ buttonId: 'privacy-agree', event: 'agree' });
  expect(textOf(comp)).toBe('');
  remove(comp);
});

test('不同意 answers disagree and closes', async () => {
  const comp = render(id);
  const resolve = ask();
  await flush();
  await tap(comp, '不同意');
  expect(resolve).toHaveBeenCalledWith({ event: 'disagree' });
  expect(textOf(comp)).toBe('');
  remove(comp);
});

test('the contract link opens the privacy contract', async () => {
  const open = jest.fn();
  wx.openPrivacyContract = open;
  const comp = render(id);
  ask();
  await flush();
  dispatch(all(comp, 'privacy__link')[0], 'tap');
  await flush();
  expect(open).toHaveBeenCalled();
  remove(comp);
});

test('with no popup on screen the request is refused rather than left hanging', () => {
  const resolve = ask();
  expect(resolve).toHaveBeenCalledWith({ event: 'disagree' });
});

test('closing the page with the question open answers disagree', async () => {
  const comp = render(id);
  const resolve = ask();
  await flush();
  remove(comp);
  expect(resolve).toHaveBeenCalledWith({ event: 'disagree' });
});

test('the agree button is the one WeChat accepts (open-type agreePrivacyAuthorization)', () => {
  // simulate does not render open-type, so read the template: without it WeChat ignores the agreement.
  const wxml = fs.readFileSync(path.join(MP_ROOT, 'components/privacy-popup/index.wxml'), 'utf8');
  const agree = wxml.split('<t-button').find((chunk) => chunk.includes('同意并继续'));
  expect(agree).toMatch(/open-type="agreePrivacyAuthorization"/);
  expect(agree).toMatch(/bind:agreeprivacyauthorization="onAgree"/);
});
