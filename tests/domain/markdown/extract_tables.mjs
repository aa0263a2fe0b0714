// Print, as JSON, the data tables that @rocket.chat/message-parser bundles: the three large
// Unicode character classes of its grammar and the public-suffix tries of its tldts copy.
// Usage: node extract_tables.mjs PATH/TO/dist/messageParser.js
import { readFileSync } from 'node:fs';

const src = readFileSync(process.argv[2], 'utf8');

function classRanges(marker) {
  // The grammar's classes are compiled to regex literals such as /^[\--.0-9A-Z_a-z...]/.
  const at = src.indexOf(marker);
  if (at < 0) throw new Error(`class ${marker} not found`);
  const start = src.lastIndexOf('/^[', at);
  const end = src.indexOf(']/', at);
  const re = new RegExp(src.slice(start + 1, end + 1));
  const ranges = [];
  for (let c = 0; c <= 0xffff; c++) {
    if (!re.test(String.fromCharCode(c))) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === c - 1) last[1] = c;
    else ranges.push([c, c]);
  }
  return ranges;
}

function trie(head, tail) {
  const start = src.indexOf(head);
  const end = src.indexOf(tail, start);
  if (start < 0 || end < 0) throw new Error(`trie ${head} not found`);
  // Slices like `function(){const a=[1,{}],...;return[0,{...}]}` evaluate to the trie itself.
  return new Function(`return (${src.slice(src.indexOf('function(){', start), end + 1)})();`)();
}

function rules(node, path, out) {
  if (node[0] !== 0) out.push(`${node[0]} ${path.join('.')}`);
  for (const [label, child] of Object.entries(node[1])) rules(child, [label, ...path], out);
  return out;
}

const exceptions = trie('const i=function(){', '}(),s=function(){');
const suffixes = trie('s=function(){const a=[1,{}],e=[2,{}],u=[1,{com:a', '}();function c(');
console.log(
  JSON.stringify({
    names: classRanges('\\--.0-9A-Z_a-z'),
    alnumOrMark: classRanges('0-9A-Za-z\\xA9-\\xAA'),
    alnum: classRanges('0-9A-Za-z\\xAA\\xB5\\xBA\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\u02C1\\u02C6-\\u02D1\\u02E0-\\u02E4\\u02EC\\u02EE\\u0370-\\u0374\\u0376-\\u0377\\u037A-\\u037D\\u037F\\u0386\\u0388-\\u038A\\u038C\\u038E-\\u03A1\\u03A3-\\u03F5\\u03F7-\\u0481\\u048A-\\u052F\\u0531-\\u0556\\u0559\\u0561-\\u0587\\u05D0-\\u05EA\\u05F0-\\u05F2\\u0620-\\u064A\\u0660-\\u0669\\u066E-\\u066F\\u0671-\\u06D3\\u06D5\\u06E5-\\u06E6\\u06EE-\\u06FC\\u06FF\\u0710\\u0712-\\u072F\\u074D-'),
    exceptions: rules(exceptions, [], []),
    suffixes: rules(suffixes, [], []),
  }),
);
