// The npm build, WXML/WXSS compile and package size checks. `npm test` runs mp-build-npm first
// (pretest), so these look at the same miniprogram_npm folder DevTools would upload.
const fs = require('fs');
const os = require('os');
const path = require('path');
const wxmlCheck = require('../../scripts/mp-wxml-check');
const size = require('../../scripts/mp-size');

const MP = path.resolve(__dirname, '../../miniprogram');
const NPM = path.join(MP, 'miniprogram_npm/tdesign-miniprogram');

function ownJsonFiles(dir = MP, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'miniprogram_npm') ownJsonFiles(full, out);
    else if (entry.name === 'index.json') out.push(full);
  }
  return out;
}

describe('npm build', () => {
  test('every npm component the project names was copied', () => {
    const specs = ownJsonFiles().flatMap((f) => Object.values(JSON.parse(fs.readFileSync(f, 'utf8')).usingComponents || {}))
      .filter((spec) => spec.startsWith('tdesign-miniprogram/'));
    expect(specs.length).toBeGreaterThan(0);
    for (const spec of specs) {
      expect(fs.existsSync(path.join(MP, 'miniprogram_npm', `${spec}.js`))).toBe(true);
    }
  });

  test('components nobody uses are not copied', () => {
    expect(fs.existsSync(path.join(NPM, 'button/button.js'))).toBe(true);
    for (const unused of ['calendar', 'chat-list', 'qrcode', 'table', 'color-picker']) {
      expect(fs.existsSync(path.join(NPM, unused))).toBe(false);
    }
  });
});

describe('WXML and WXSS compile', () => {
  test('every page, component and npm template compiles with wcc/wcsc', () => {
    const counts = wxmlCheck.check();
    // Our own templates (10 main pages, 6 staff pages, 4 components) plus the tdesign ones.
    expect(counts.wxml).toBeGreaterThan(20);
  });

  test('a broken template fails the check', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-wxml-'));
    fs.mkdirSync(path.join(root, 'pages/x'), { recursive: true });
    fs.writeFileSync(path.join(root, 'pages/x/index.json'), '{}');
    fs.writeFileSync(path.join(root, 'pages/x/index.wxml'), '<view>\n  <text>{{a}</text>\n');
    try {
      expect(() => wxmlCheck.check(root)).toThrow(/pages\/x\/index\.wxml/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('package size', () => {
  test('the main package, npm components included, stays under 1.5 MB', () => {
    const result = size.measure();
    const npmBytes = fs.readdirSync(NPM, { recursive: true })
      .map((f) => path.join(NPM, f)).filter((f) => fs.statSync(f).isFile())
      .reduce((sum, f) => sum + fs.statSync(f).size, 0);
    expect(npmBytes).toBeGreaterThan(0);
    expect(result.main.bytes).toBeGreaterThan(npmBytes);
    expect(result.main.bytes).toBeLessThan(size.MAIN_LIMIT);
    expect(size.report(result).over).toEqual([]);
  });

  test('the staff pages are a subpackage, measured apart from the main package', () => {
    const result = size.measure();
    expect(Object.keys(result.subpackages)).toEqual(['staff/']);
    expect(result.subpackages['staff/'].bytes).toBeGreaterThan(0);
    expect(result.subpackages['staff/'].bytes).toBeLessThan(size.SUBPACKAGE_LIMIT);
  });

  test('the npm build follows the staff subpackage: components only it uses are copied', () => {
    // t-textarea is used by staff/report and pages; t-progress by components the pages use.
    for (const used of ['textarea/textarea.js', 'progress/progress.js', 'input/input.js']) {
      expect(fs.existsSync(path.join(NPM, used))).toBe(true);
    }
  });

  test('a package over its limit is reported', () => {
    const over = size.report({ main: { bytes: size.MAIN_LIMIT + 1, limit: size.MAIN_LIMIT }, subpackages: {}, total: 0 });
    expect(over.over).toEqual(['main']);
  });
});
