// Runs before every test file. miniprogram-simulate installs a stubbed `wx` and `Component`
// on require; the shims below fill the gaps for page code and keep tests independent.
require('miniprogram-simulate');

// simulate only knows components. A page is a component whose functions are all methods;
// lifecycle hooks (onLoad, onShow, ...) are then called by the test on `comp.instance`.
global.Page = (definition) => {
  const methods = {};
  const data = definition.data || {};
  Object.keys(definition).forEach((key) => {
    if (typeof definition[key] === 'function') methods[key] = definition[key];
  });
  global.Component({ data, methods });
};

// tdesign's base class reads getApp() in its constructor; our code keeps no state on the App.
global.getApp = () => ({});

// t-navbar and friends call it; an empty stack is what a freshly launched page sees.
global.getCurrentPages = () => [];

// simulate's storage functions are no-ops; the token and settings need a real (in-memory) store.
let storage = {};
beforeEach(() => {
  storage = {};
  wx.getStorageSync = (key) => (key in storage ? storage[key] : '');
  wx.setStorageSync = (key, value) => {
    storage[key] = value;
  };
  wx.removeStorageSync = (key) => {
    delete storage[key];
  };
});

afterEach(() => {
  jest.restoreAllMocks();
});
