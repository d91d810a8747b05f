// The exercise page: select words in the article, tag them, and keep the work saved.
// Offsets count Unicode code points, as Python does, so they agree with the server.

const data = JSON.parse(document.getElementById("exercise-data").textContent);
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const categories = new Map(data.categories.map((c) => [c.id, c]));
const articleChars = Object.fromEntries(
  Object.entries(data.articles).map(([id, text]) => [id, Array.from(text)]),
);

const form = document.getElementById("work-form");
const highlightsField = document.getElementById("highlights-field");
const saveStatus = document.getElementById("save-status");
const tagger = document.getElementById("tagger");
const taggerQuote = document.getElementById("tagger-quote");
const taggerNote = document.getElementById("tagger-note");
const taggerError = document.getElementById("tagger-error");
const taggerSave = document.getElementById("tagger-save");

let highlights = data.work.highlights.map((h) => ({ ...h }));
let pending = null; // the selection being tagged: {article, start, end} or {index} when editing

const codePoints = (s) => Array.from(s).length;
const quoteOf = (article, start, end) => articleChars[article].slice(start, end).join("");

// --- drawing the highlights ------------------------------------------------------------

function segmentElement(article, from, to, covering, paragraphStart) {
  if (!covering.length) {
    const span = document.createElement("span");
    span.dataset.o = from;
    span.append(quoteOf(article, from, to));
    return span;
  }
  const top = covering[covering.length - 1];
  const category = categories.get(top.h.category);
  const mark = document.createElement("mark");
  mark.className = `hl cat-${category.style}${covering.length > 1 ? " hl-overlap" : ""}`;
  mark.dataset.o = from;
  mark.dataset.highlights = covering.map((c) => c.index).join(" ");
  mark.title = covering.map((c) => categories.get(c.h.category).label).join(", ");
  for (const c of covering) {
    if (from === Math.max(c.h.start, paragraphStart)) {
      const label = document.createElement("span");
      label.className = "sr-only";
      label.textContent = `[${categories.get(c.h.category).label}] `;
      mark.append(label);
    }
  }
  mark.append(quoteOf(article, from, to));
  return mark;
}

function drawArticles() {
  for (const container of document.querySelectorAll(".article-text[data-article]")) {
    const article = container.dataset.article;
    const mine = highlights
      .map((h, index) => ({ h, index }))
      .filter((c) => c.h.article === article);
    for (const p of container.querySelectorAll("p[data-start]")) {
      const start = Number(p.dataset.start);
      const end = Number(p.dataset.end);
      const cuts = new Set([start, end]);
      for (const { h } of mine) {
        if (h.start < end && start < h.end) {
          cuts.add(Math.max(start, h.start));
          cuts.add(Math.min(end, h.end));
        }
      }
      const points = [...cuts].sort((a, b) => a - b);
      const parts = [];
      for (let k = 0; k + 1 < points.length; k += 1) {
        const [from, to] = [points[k], points[k + 1]];
        const covering = mine.filter((c) => c.h.start < to && from < c.h.end);
        parts.push(segmentElement(article, from, to, covering, start));
      }
      p.replaceChildren(...parts);
    }
  }
}

function drawLists() {
  for (const list of document.querySelectorAll(".my-highlights")) {
    const wanted = new Set(list.dataset.categories.split(" "));
    const articles = new Set(list.dataset.articles.split(" "));
    const items = highlights
      .map((h, index) => ({ h, index }))
      .filter(({ h }) => wanted.has(h.category) && articles.has(h.article))
      .map(({ h, index }) => listItem(h, index));
    if (!items.length) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "None yet.";
      items.push(empty);
    }
    list.replaceChildren(...items);
  }
}

function button(text, label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "link-button";
  b.textContent = text;
  b.setAttribute("aria-label", label);
  b.addEventListener("click", onClick);
  return b;
}

function listItem(h, index) {
  const category = categories.get(h.category);
  const li = document.createElement("li");
  const badge = document.createElement("span");
  badge.className = `badge cat-${category.style}`;
  badge.textContent = category.label;
  const quote = document.createElement("q");
  quote.textContent = h.quote;
  li.append(badge, " ", quote);
  if (h.note) {
    const note = document.createElement("span");
    note.className = "note";
    note.textContent = `: ${h.note}`;
    li.append(note);
  }
  const actions = document.createElement("span");
  actions.className = "actions";
  actions.append(
    button("Edit", `Edit highlight “${h.quote}”`, () => openTagger({ index }, h)),
    button("Remove", `Remove highlight “${h.quote}”`, () => removeHighlight(index)),
  );
  li.append(" ", actions);
  return li;
}

function redraw() {
  highlightsField.value = JSON.stringify(highlights);
  drawArticles();
  drawLists();
}

// --- turning a selection into offsets ------------------------------------------------------

function startOfElement(el) {
  if (el.dataset && el.dataset.o !== undefined) return Number(el.dataset.o);
  if (el.dataset && el.dataset.start !== undefined) return Number(el.dataset.start);
  const inner = el.querySelector && el.querySelector("[data-o], p[data-start]");
  return inner ? startOfElement(inner) : null;
}

function endOfElement(el) {
  if (el.dataset && el.dataset.end !== undefined) return Number(el.dataset.end);
  const paragraphs = el.querySelectorAll ? el.querySelectorAll("p[data-end]") : [];
  if (paragraphs.length) return Number(paragraphs[paragraphs.length - 1].dataset.end);
  const segment = el.closest("[data-o]");
  if (!segment) return null;
  const text = [...segment.childNodes]
    .filter((n) => n.nodeType === Node.TEXT_NODE)
    .map((n) => n.data)
    .join("");
  return Number(segment.dataset.o) + codePoints(text);
}

// The article offset at a DOM boundary point (node, offset), or null outside an article.
function boundaryOffset(node, offset) {
  if (node.nodeType === Node.TEXT_NODE) {
    const segment = node.parentElement.closest("[data-o]");
    if (!segment) return null;
    if (node.parentElement.closest(".sr-only")) return Number(segment.dataset.o);
    return Number(segment.dataset.o) + codePoints(node.data.slice(0, offset));
  }
  if (offset < node.childNodes.length) {
    const child = node.childNodes[offset];
    return child.nodeType === Node.TEXT_NODE
      ? boundaryOffset(child, 0)
      : startOfElement(child);
  }
  return endOfElement(node);
}

function selectionSpan() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  const articleOf = (node) =>
    (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest(
      ".article-text[data-article]",
    );
  const first = articleOf(range.startContainer);
  const last = articleOf(range.endContainer);
  if (!first && !last) return null;
  if (first !== last) return { error: "Select words within one article." };
  const article = first.dataset.article;
  let start = boundaryOffset(range.startContainer, range.startOffset);
  let end = boundaryOffset(range.endContainer, range.endOffset);
  if (start === null || end === null) return null;
  const chars = articleChars[article];
  while (start < end && /\s/u.test(chars[start])) start += 1;
  while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
  if (end <= start) return null;
  return { article, start, end };
}

// --- the tagger ------------------------------------------------------------------------

function openTagger(target, existing = null) {
  pending = target;
  const h = existing || target;
  taggerQuote.textContent = quoteOf(h.article, h.start, h.end);
  for (const radio of tagger.querySelectorAll('input[name="tag-category"]')) {
    radio.checked = existing ? radio.value === existing.category : false;
  }
  taggerNote.value = existing ? existing.note : "";
  taggerSave.textContent = existing ? "Save changes" : "Add highlight";
  taggerError.hidden = true;
  tagger.hidden = false;
  if (existing) tagger.querySelector('input[name="tag-category"]:checked')?.focus();
}

function closeTagger() {
  pending = null;
  tagger.hidden = true;
}

function saveTag() {
  const chosen = tagger.querySelector('input[name="tag-category"]:checked');
  if (!chosen) {
    taggerError.textContent = "Choose what kind of problem these words show.";
    taggerError.hidden = false;
    tagger.querySelector('input[name="tag-category"]').focus();
    return;
  }
  const note = taggerNote.value.trim();
  const category = categories.get(chosen.value);
  if (pending.index !== undefined) {
    Object.assign(highlights[pending.index], { category: chosen.value, note });
    announce(`Highlight changed to ${category.label}.`);
  } else {
    const { article, start, end } = pending;
    highlights.push({ article, start, end, quote: quoteOf(article, start, end), category: chosen.value, note });
    highlights.sort((a, b) => a.article.localeCompare(b.article) || a.start - b.start || a.end - b.end);
    announce(`Highlighted “${quoteOf(article, start, end)}” as ${category.label}.`);
    window.getSelection()?.removeAllRanges();
  }
  closeTagger();
  redraw();
  scheduleSave(0);
}

function removeHighlight(index) {
  const [gone] = highlights.splice(index, 1);
  redraw();
  announce(`Removed the highlight “${gone.quote}”.`);
  scheduleSave(0);
}

function onSelectionChange() {
  if (pending && pending.index !== undefined) return; // editing: ignore stray selections
  const span = selectionSpan();
  if (!span) return;
  if (span.error) {
    announce(span.error);
    return;
  }
  openTagger(span);
}

// --- saving ----------------------------------------------------------------------------

let saveTimer = null;
let saving = false;
let unsaved = false;
let retryDelay = 1000;
const KEEPALIVE_LIMIT = 60000; // browsers refuse keepalive bodies over 64 KiB

function announce(message, kind = "info") {
  saveStatus.textContent = message;
  saveStatus.dataset.kind = kind;
}

function collectAnswers() {
  const answers = {};
  for (const el of form.elements) {
    if (el.name.startsWith("choice-")) {
      const id = el.name.slice("choice-".length);
      answers[id] ??= [];
      if (el.checked) answers[id].push(Number(el.value));
    } else if (el.name.startsWith("answer-")) {
      answers[el.name.slice("answer-".length)] = el.value;
    }
  }
  return answers;
}

function scheduleSave(delay = 800) {
  unsaved = true;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, delay);
}

async function save() {
  if (saving) {
    scheduleSave();
    return;
  }
  saving = true;
  unsaved = false;
  const body = JSON.stringify({ highlights, answers: collectAnswers() });
  try {
    const response = await fetch(data.draftUrl, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body,
      credentials: "same-origin",
      keepalive: body.length < KEEPALIVE_LIMIT, // lets a save started as the tab closes finish
    });
    if (response.ok) {
      const { saved_at: savedAt } = await response.json();
      retryDelay = 1000;
      if (!unsaved) announce(`All changes saved (${savedAt.slice(11, 19)} UTC).`, "saved");
    } else if (response.status < 500) {
      const problem = await response.json().catch(() => ({}));
      announce(`Not saved: ${problem.error || response.statusText}. Reload the page.`, "error");
    } else {
      throw new Error(`server answered ${response.status}`);
    }
  } catch {
    unsaved = true;
    announce("Not saved yet: the server cannot be reached. Retrying…", "error");
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  } finally {
    saving = false;
  }
}

// --- wiring ----------------------------------------------------------------------------

document.addEventListener("selectionchange", () => {
  clearTimeout(onSelectionChange.timer);
  onSelectionChange.timer = setTimeout(onSelectionChange, 200);
});
taggerSave.addEventListener("click", saveTag);
document.getElementById("tagger-cancel").addEventListener("click", () => {
  closeTagger();
  window.getSelection()?.removeAllRanges();
});
tagger.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeTagger();
});
form.addEventListener("input", () => {
  announce("Not saved yet…");
  scheduleSave();
});
form.addEventListener("submit", () => {
  highlightsField.value = JSON.stringify(highlights);
  unsaved = false;
});
window.addEventListener("beforeunload", (event) => {
  if (unsaved) event.preventDefault();
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden" && unsaved) save();
});

redraw();
