// A small DOM builder: every text goes in as a text node, so nothing the server or a user
// typed is ever parsed as HTML. The one exception is search snippets, which the server escapes
// and marks with <mark> (see markedText).

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'class') {
        el.className = value;
      } else if (key === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled' || key === 'hidden') {
        el[key] = value;
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// The server's snippets are HTML-escaped text with matches in <mark>; rebuild them as nodes
// without innerHTML, so only <mark> can ever come through.
export function markedText(snippet) {
  const out = document.createDocumentFragment();
  const parts = String(snippet || '').split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') { marked = true; continue; }
    if (part === '</mark>') { marked = false; continue; }
    // Extracted text may carry form feeds and other controls (a PDF's page breaks): spaces.
    const text = unescapeHtml(part).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
    if (!text) continue;
    out.append(marked ? h('mark', null, text) : document.createTextNode(text));
  }
  return out;
}

function unescapeHtml(text) {
  return text.replace(/&(lt|gt|amp|quot|#39|#x27);/g, (_, name) =>
    ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", '#x27': "'" })[name]);
}
