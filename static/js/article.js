// Drawing highlights over an article's paragraphs, and turning a DOM selection into offsets.
// Offsets count Unicode code points, as Python does, so they agree with the server.

export const codePoints = (s) => Array.from(s).length;

// A word: letters and digits, with the apostrophes, hyphens, points and commas inside it
// ("Sheriff’s", "25,000", "U.S").
const WORD = /[\p{L}\p{N}](?:[\p{L}\p{N}’'.,%$-]*[\p{L}\p{N}%])?/gu;

export class ArticleText {
  constructor(id, text) {
    this.id = id;
    this.chars = Array.from(text);
    this.found = null;
  }

  quote(start, end) {
    return this.chars.slice(start, end).join("");
  }

  // The words of the text, [{start, end}] in code points, in order (found once).
  words() {
    if (this.found) return this.found;
    const text = this.chars.join("");
    this.found = [];
    let units = 0; // the UTF-16 position reached, and the code points before it
    let points = 0;
    for (const match of text.matchAll(WORD)) {
      points += codePoints(text.slice(units, match.index));
      const length = codePoints(match[0]);
      this.found.push({ start: points, end: points + length });
      points += length;
      units = match.index + match[0].length;
    }
    return this.found;
  }

  // [start, end) widened to whole words: an end that falls inside a word is moved to the
  // word's edge, so a drag from "riminal" stores "Criminal".
  wholeWords(start, end) {
    for (const w of this.words()) {
      if (w.start < start && start < w.end) start = w.start;
      if (w.start < end && end < w.end) end = w.end;
      if (w.start >= end) break;
    }
    return [start, end];
  }
}

function segment(article, from, to, covering, paragraphStart, categories) {
  const el = document.createElement(covering.length ? "mark" : "span");
  el.dataset.o = from;
  if (covering.length) {
    const tagged = covering.filter((c) => c.kind === "highlight");
    const classes = [];
    if (tagged.length) {
      const top = tagged[tagged.length - 1];
      classes.push("hl", `cat-${categories.get(top.h.category).style}`);
      if (tagged.length > 1) classes.push("hl-overlap");
      el.title = tagged.map((c) => categories.get(c.h.category).label).join(", ");
    }
    if (tagged.length < covering.length) classes.push("kb"); // the keyboard cursor is here
    el.className = classes.join(" ");
    for (const c of tagged) {
      if (from === Math.max(c.h.start, paragraphStart)) {
        const label = document.createElement("span");
        label.className = "sr-only";
        label.textContent = `[${categories.get(c.h.category).label}] `;
        el.append(label);
      }
    }
  }
  el.append(article.quote(from, to));
  return el;
}

// Redraw one article's paragraphs with the highlights (and the keyboard cursor) over them.
export function drawArticle(container, article, highlights, categories, cursor = null) {
  const marks = highlights
    .filter((h) => h.article === article.id)
    .map((h) => ({ kind: "highlight", h, start: h.start, end: h.end }));
  if (cursor) marks.push({ kind: "cursor", start: cursor.start, end: cursor.end });
  for (const p of container.querySelectorAll("[data-start]")) {
    const start = Number(p.dataset.start);
    const end = Number(p.dataset.end);
    const cuts = new Set([start, end]);
    for (const m of marks) {
      if (m.start < end && start < m.end) {
        cuts.add(Math.max(start, m.start));
        cuts.add(Math.min(end, m.end));
      }
    }
    const points = [...cuts].sort((a, b) => a - b);
    const parts = [];
    for (let k = 0; k + 1 < points.length; k += 1) {
      const [from, to] = [points[k], points[k + 1]];
      const covering = marks.filter((m) => m.start < to && from < m.end);
      parts.push(segment(article, from, to, covering, start, categories));
    }
    p.replaceChildren(...parts);
  }
}

function startOfElement(el) {
  if (el.dataset?.o !== undefined) return Number(el.dataset.o);
  if (el.dataset?.start !== undefined) return Number(el.dataset.start);
  const inner = el.querySelector?.("[data-o], [data-start]");
  return inner ? startOfElement(inner) : null;
}

function endOfElement(el) {
  if (el.dataset?.end !== undefined) return Number(el.dataset.end);
  const paragraphs = el.querySelectorAll ? el.querySelectorAll("[data-end]") : [];
  if (paragraphs.length) return Number(paragraphs[paragraphs.length - 1].dataset.end);
  const seg = el.closest("[data-o]");
  if (!seg) return null;
  const text = [...seg.childNodes]
    .filter((n) => n.nodeType === Node.TEXT_NODE)
    .map((n) => n.data)
    .join("");
  return Number(seg.dataset.o) + codePoints(text);
}

// The article offset at a DOM boundary point (node, offset), or null outside an article.
function boundaryOffset(node, offset) {
  if (node.nodeType === Node.TEXT_NODE) {
    const seg = node.parentElement.closest("[data-o]");
    if (!seg) return null;
    if (node.parentElement.closest(".sr-only")) return Number(seg.dataset.o);
    return Number(seg.dataset.o) + codePoints(node.data.slice(0, offset));
  }
  if (offset < node.childNodes.length) {
    const child = node.childNodes[offset];
    return child.nodeType === Node.TEXT_NODE ? boundaryOffset(child, 0) : startOfElement(child);
  }
  return endOfElement(node);
}

// The offset at a boundary point that falls outside the text's segments (in the line about the
// source between a headline and the text, say): the first segment after it, or for the end of
// a selection the last one before it.
function nearestOffset(container, node, offset, after) {
  const point = document.createRange();
  point.setStart(node, offset);
  const segments = [...container.querySelectorAll("[data-o]")];
  if (after) {
    const next = segments.find((seg) => point.comparePoint(seg, 0) > 0);
    return next ? Number(next.dataset.o) : null;
  }
  const before = segments.filter((seg) => point.comparePoint(seg, seg.childNodes.length) < 0);
  return before.length ? endOfElement(before[before.length - 1]) : null;
}

const elementOf = (node) => (node.nodeType === Node.TEXT_NODE ? node.parentElement : node);
const containerOf = (node) => elementOf(node).closest(".article-text[data-article]");

// What to tell a student whose selection runs from an article's text to outside it.
function outsideText(node) {
  const el = elementOf(node);
  if (el.closest(".article h2")) {
    return "The title above the article is not part of its text, so it cannot be highlighted: select words in the text.";
  }
  if (el.closest(".article")) {
    return "The line about the article's source is not part of its text: select words in the text.";
  }
  return "Select words in the article's text only.";
}

// The selected span {article, start, end}, {error} for a selection that leaves one article's
// text, or null. An end inside a word takes the whole word.
export function selectedSpan(articles) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  const first = containerOf(range.startContainer);
  const last = containerOf(range.endContainer);
  if (!first && !last) return null;
  if (first && last && first !== last) return { error: "Select words within one article." };
  if (!first) return { error: outsideText(range.startContainer) };
  if (!last) return { error: outsideText(range.endContainer) };
  const article = articles.get(first.dataset.article);
  let start =
    boundaryOffset(range.startContainer, range.startOffset) ??
    nearestOffset(first, range.startContainer, range.startOffset, true);
  let end =
    boundaryOffset(range.endContainer, range.endOffset) ??
    nearestOffset(first, range.endContainer, range.endOffset, false);
  if (start === null || end === null) return null;
  while (start < end && /\s/u.test(article.chars[start])) start += 1;
  while (end > start && /\s/u.test(article.chars[end - 1])) end -= 1;
  if (end <= start) return null;
  [start, end] = article.wholeWords(start, end);
  return { article: article.id, start, end };
}
