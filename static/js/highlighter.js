// The highlighter the exercise page and the studio share: it draws the marks over the articles
// and turns what a reader selects (mouse, touch, or the keyboard word by word) into a span
// {article, start, end} handed to onSpan. What a span becomes (a student's highlight, a key
// item) and the panel that tags it are the page's own.

import { drawArticle, selectedSpan } from "./article.js";
import { move, words } from "./keyboard.js";

// A small button in a list of highlights or key items, named for screen readers in full.
export function button(text, label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "link-button";
  b.textContent = text;
  b.setAttribute("aria-label", label);
  b.addEventListener("click", onClick);
  return b;
}

export class Highlighter {
  // articles: Map id → ArticleText; categories: Map id → {label, style}; marks(): the spans to
  // draw; tagger: the page's tagging panel (focus moving into it keeps the keyboard selection);
  // busy(): true while a mouse selection must not open the tagger (an edit is open);
  // onSpan(span, from): a span was selected, from the article element when by keyboard;
  // enterDoes: what Enter does to the selection, for the announcement.
  constructor({ articles, categories, marks, tagger, announce, busy, onSpan, enterDoes }) {
    Object.assign(this, { articles, categories, marks, tagger, announce, busy, onSpan, enterDoes });
    this.keyboard = null; // {container, article, words, at, anchor}
    this.lastSpan = null; // the last span a mouse or touch selection handed to onSpan
    for (const container of document.querySelectorAll(".article-text[data-article]")) {
      container.tabIndex = 0;
      container.setAttribute("aria-describedby", "keyboard-help");
      container.addEventListener("keydown", (event) => this.onKey(event));
      container.addEventListener("blur", (event) => {
        if (!tagger.contains(event.relatedTarget)) this.stop();
      });
    }
    // A selection is taken once it rests: 200 ms after it last changed, and never while the
    // mouse button is still down (on a slow machine a drag can pause that long half-way).
    let timer = null;
    let pressing = false;
    const settle = () => {
      clearTimeout(timer);
      timer = setTimeout(() => pressing || this.onSelection(), 200);
    };
    document.addEventListener("selectionchange", settle);
    document.addEventListener("pointerdown", (event) => {
      pressing = event.pointerType === "mouse";
    });
    for (const end of ["pointerup", "pointercancel"]) {
      document.addEventListener(end, () => {
        if (pressing) settle();
        pressing = false;
      });
    }
  }

  // The words the keyboard cursor covers, or null when the keyboard is not selecting.
  keyboardSpan() {
    const kb = this.keyboard;
    if (!kb) return null;
    const [a, b] = [kb.anchor, kb.at].sort((x, y) => x - y);
    return { article: kb.article.id, start: kb.words[a].start, end: kb.words[b].end };
  }

  draw() {
    const cursor = this.keyboardSpan();
    for (const container of document.querySelectorAll(".article-text[data-article]")) {
      const article = this.articles.get(container.dataset.article);
      const own = cursor && cursor.article === article.id ? cursor : null;
      drawArticle(container, article, this.marks(), this.categories, own);
    }
  }

  // After a span is tagged: the mouse selection goes, the keyboard cursor shrinks to one word.
  done() {
    window.getSelection()?.removeAllRanges();
    if (this.keyboard) this.keyboard.anchor = this.keyboard.at;
  }

  onSelection() {
    if (this.busy() || this.keyboard) return; // editing, or selecting with the keys
    const span = selectedSpan(this.articles);
    if (!span) return;
    if (span.error) {
      this.announce(span.error);
      return;
    }
    // The same words again, while the tagger is open for them (a late event of the same drag on
    // a slow machine, the selection put back after a trip to the steps): the tagger, and what
    // the student chose in it, stay as they are.
    const last = this.lastSpan;
    const same = last && ["article", "start", "end"].every((k) => last[k] === span[k]);
    if (same && !this.tagger.hidden) return;
    this.lastSpan = span;
    this.onSpan(span, null);
  }

  describe() {
    const span = this.keyboardSpan();
    const quote = this.articles.get(span.article).quote(span.start, span.end);
    return this.keyboard.anchor === this.keyboard.at ? quote : `Selected: ${quote}`;
  }

  start(container) {
    const article = this.articles.get(container.dataset.article);
    const paragraphs = [...container.querySelectorAll("[data-start]")].map((p) => [
      Number(p.dataset.start),
      Number(p.dataset.end),
    ]);
    this.keyboard = { container, article, words: words(article, paragraphs), at: 0, anchor: 0 };
    container.classList.add("selecting");
    this.draw();
    this.announce(
      `Word by word selection. ${this.describe()}. Arrow keys move, Shift with an arrow ` +
        `selects more words, Enter ${this.enterDoes} the selection, Escape stops.`,
    );
  }

  stop() {
    if (!this.keyboard) return;
    this.keyboard.container.classList.remove("selecting");
    this.keyboard = null;
    this.draw();
  }

  onKey(event) {
    const container = event.currentTarget;
    const kb = this.keyboard;
    if (!kb || kb.container !== container) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.start(container);
      }
      return;
    }
    if (event.key === "Escape") {
      this.stop();
      this.announce("Word by word selection stopped.");
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      this.onSpan(this.keyboardSpan(), container);
      return;
    }
    const to = move(kb.words, kb.at, event.key);
    if (to === null) return;
    event.preventDefault();
    kb.at = to;
    if (!event.shiftKey) kb.anchor = to;
    this.draw();
    this.announce(this.describe());
  }
}
