// Jest only: tdesign ships ES modules and the WeChat runtime does its own transform,
// so the one thing node needs is ESM -> CommonJS.
module.exports = {
  plugins: ['@babel/plugin-transform-modules-commonjs'],
};
