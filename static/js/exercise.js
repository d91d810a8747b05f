// The exercise page: select words (mouse, touch or keyboard), tag them, keep the work saved.

import { ArticleText } from "./article.js";
import { Autosave } from "./autosave.js";
import { Highlighter, button } from "./highlighter.js";
import { merge } from "./merge.js";

// The exercise, the same for every student, and this student's work with where to save it.
const data = {
  ...JSON.parse(document.getElementById("exercise-data").textContent),
  ...JSON.parse(document.getElementById("work-data").textContent),
};
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const categories = new Map(data.categories.map((c) => [c.id, c]));
const articles = new Map(
  Object.entries(data.articles).map(([id, text]) => [id, new ArticleText(id, text)]),
);

const form = document.getElementById("work-form");
const highlightsField = document.getElementById("highlights-field");
const saveStatus = document.getElementById("save-status");
const announcer = document.getElementById("announcer");
const tagger = document.getElementById("tagger");
const taggerQuote = document.getElementById("tagger-quote");
const taggerNote = document.getElementById("tagger-note");
const taggerError = document.getElementById("tagger-error");
const taggerSave = document.getElementById("tagger-save");
const radios = () => [...tagger.querySelectorAll('input[name="tag-category"]')];

let highlights = data.work.highlights.map((h) => ({ ...h }));
// What the tagger is tagging: {span} for a new highlight, {highlight} when editing one.
// Edits hold the highlight object itself, so removing another one cannot redirect them.
let pending = null;

const announce = (message) => {
  announcer.textContent = message;
};
const autosave = new Autosave({
  url: data.draftUrl,
  sessionUrl: data.sessionUrl,
  csrfToken,
  collect: () => ({ highlights, answers: collectAnswers() }),
  report: (message, kind) => {
    saveStatus.textContent = message;
    saveStatus.dataset.kind = kind;
  },
  keptKey: data.keptKey,
  version: data.version,
  revision: data.revision,
  base: data.work,
  userId: data.userId,
  changedElsewhere,
  placedAnew,
  newToken: (token) => {
    // every form on the page (submitting, logging out) now belongs to the new session
    document.querySelector('meta[name="csrf-token"]').content = token;
    for (const input of document.querySelectorAll('input[name="csrf_token"]')) input.value = token;
  },
});

const highlighter = new Highlighter({
  articles,
  categories,
  marks: () => highlights,
  tagger,
  announce,
  busy: () => Boolean(pending?.highlight),
  onSpan: (span, from) => openTagger({ span }, from),
  enterDoes: "tags",
});

// --- drawing ----------------------------------------------------------------------------

function listItem(h) {
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
  const edit = button("Edit", `Edit highlight “${h.quote}”`, () =>
    openTagger({ highlight: h }, edit),
  );
  actions.append(edit, button("Remove", `Remove highlight “${h.quote}”`, () => remove(h)));
  li.append(" ", actions);
  return li;
}

function drawLists() {
  for (const list of document.querySelectorAll(".my-highlights")) {
    const wanted = new Set(list.dataset.categories.split(" "));
    const inArticles = new Set(list.dataset.articles.split(" "));
    const items = highlights
      .filter((h) => wanted.has(h.category) && inArticles.has(h.article))
      .map(listItem);
    if (!items.length) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "None yet.";
      items.push(empty);
    }
    list.replaceChildren(...items);
  }
}

function redraw() {
  highlightsField.value = JSON.stringify(highlights);
  highlighter.draw();
  drawLists();
}

// --- the tagger ---------------------------------------------------------------------------

let returnFocus = null; // where keyboard focus goes back to when the tagger closes

function openTagger(target, from = null) {
  pending = target;
  returnFocus = from;
  const h = target.highlight || target.span;
  taggerQuote.textContent = articles.get(h.article).quote(h.start, h.end);
  for (const radio of radios()) radio.checked = radio.value === target.highlight?.category;
  taggerNote.value = target.highlight?.note || "";
  taggerSave.textContent = target.highlight ? "Save changes" : "Add highlight";
  taggerError.hidden = true;
  tagger.hidden = false;
  // A mouse selection keeps focus, so the student can still adjust it; keyboard users move in.
  if (from) (radios().find((r) => r.checked) || radios()[0]).focus();
}

function closeTagger() {
  pending = null;
  tagger.hidden = true;
  returnFocus?.focus();
  returnFocus = null;
}

function saveTag() {
  const chosen = radios().find((r) => r.checked);
  if (!chosen) {
    taggerError.textContent = "Choose what kind of problem these words show.";
    taggerError.hidden = false;
    radios()[0].focus();
    return;
  }
  const note = taggerNote.value.trim();
  const label = categories.get(chosen.value).label;
  if (pending.highlight) {
    Object.assign(pending.highlight, { category: chosen.value, note });
    announce(`Highlight “${pending.highlight.quote}” changed to ${label}.`);
  } else {
    const { article, start, end } = pending.span;
    const text = articles.get(article);
    const quote = text.quote(start, end);
    // with the words around it, by which the server finds it again if the article is edited
    const [prefix, suffix] = [text.quote(Math.max(0, start - 32), start), text.quote(end, end + 32)];
    highlights.push({ article, start, end, quote, prefix, suffix, category: chosen.value, note });
    highlights.sort(
      (a, b) => a.article.localeCompare(b.article) || a.start - b.start || a.end - b.end,
    );
    announce(`Highlighted “${quote}” as ${label}.`);
    highlighter.done();
  }
  const edited = pending.highlight;
  closeTagger();
  redraw();
  if (edited) focusEditButton(edited);
  autosave.schedule(0);
}

function focusEditButton(h) {
  const label = `Edit highlight “${h.quote}”`;
  [...document.querySelectorAll(".my-highlights button")]
    .find((b) => b.getAttribute("aria-label") === label)
    ?.focus();
}

function remove(h) {
  highlights = highlights.filter((other) => other !== h);
  if (pending?.highlight === h) closeTagger();
  redraw();
  announce(`Removed the highlight “${h.quote}”.`);
  autosave.schedule(0);
}

// --- answers and saving ---------------------------------------------------------------------

// Each task's template marks its inputs with data-task (the task id) and data-answer: "options"
// for option numbers (radio buttons or checkboxes), "text" for a written answer.
function putAnswers(answers) {
  for (const el of form.querySelectorAll("[data-task]")) {
    const value = answers[el.dataset.task];
    if (el.dataset.answer === "options") el.checked = (value ?? []).includes(Number(el.value));
    else el.value = value ?? "";
  }
}

function collectAnswers() {
  const answers = {};
  for (const el of form.querySelectorAll("[data-task]")) {
    const id = el.dataset.task;
    if (el.dataset.answer === "options") {
      answers[id] ??= [];
      if (el.checked) answers[id].push(Number(el.value));
    } else {
      answers[id] = el.value;
    }
  }
  return answers;
}

taggerSave.addEventListener("click", saveTag);
document.getElementById("tagger-cancel").addEventListener("click", () => {
  closeTagger();
  window.getSelection()?.removeAllRanges();
});
tagger.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeTagger();
});
form.addEventListener("input", () => autosave.schedule());
form.addEventListener("submit", () => {
  highlightsField.value = JSON.stringify(highlights);
  // kept until the server's draft holds it: a submission that does not land (logged out, a new
  // password to choose, a full disk) is offered back on the next visit
  autosave.keep(JSON.stringify({ highlights, answers: collectAnswers() }));
  autosave.unsaved = false;
});
window.addEventListener("beforeunload", (event) => {
  if (autosave.unsaved) event.preventDefault();
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden" && autosave.unsaved) autosave.save();
});
// --- work changed elsewhere, or an exercise changed under the page --------------------------------

const stepName = (task) => document.querySelector(`#step-${CSS.escape(task)} h3`)?.textContent || task;

function optionText(task, n) {
  const input = form.querySelector(`[data-task="${CSS.escape(task)}"][value="${n}"]`);
  return input?.closest("label")?.textContent.trim() || `option ${n + 1}`;
}

function showNotice(id, lines) {
  const notice = document.getElementById(id);
  notice.replaceChildren(
    ...lines.map((line) => {
      const el = document.createElement(line.quote ? "blockquote" : "p");
      el.textContent = line.quote ?? line;
      return el;
    }),
  );
  notice.hidden = false;
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// A save refused because the draft was saved from another tab or device since: both are put
// together on this page, the student is told what came from there, and the result is saved.
function changedElsewhere(draft, base) {
  if (draft.version !== data.version) {
    // saved there on a newer version of the exercise: its places are not this page's
    autosave.halt();
    showNotice("changed-elsewhere", [
      "Your work was also saved in another tab or on another device, on a newer version of this " +
        "exercise, so nothing more is saved from this page. Reload it: it shows the work saved there, " +
        "and offers back what you did here, which is kept in this browser.",
    ]);
    return;
  }
  const { work, report } = merge(base, { highlights, answers: collectAnswers() }, draft.work);
  highlights = work.highlights.map((h) => ({ ...h }));
  putAnswers(work.answers);
  redraw();
  const there = [
    report.added && `${plural(report.added, "highlight", "highlights")} added`,
    report.removed && `${plural(report.removed, "highlight", "highlights")} removed`,
    report.retagged && `${plural(report.retagged, "highlight", "highlights")} tagged anew`,
    report.answers.length && `answers to ${report.answers.map(stepName).join(", ")}`,
  ].filter(Boolean);
  const lines = [
    "Your work was also changed in another tab or on another device. Both are put together here " +
      "and saved" + (there.length ? `; from there: ${there.join("; ")}.` : "."),
  ];
  for (const { task, theirs } of report.conflicts) {
    const other = Array.isArray(theirs) ? theirs.map((n) => optionText(task, n)).join("; ") : theirs;
    lines.push(`${stepName(task)} was changed in both places. This page's answer is kept; the other was:`);
    lines.push({ quote: other || "(no answer)" });
  }
  showNotice("changed-elsewhere", lines);
  announce(lines[0]);
  autosave.schedule(0);
}

// The server placed the work on another version than the one sent: kept work restored from an
// older version (now on this page's), or this page shows a version the author has since changed.
function placedAnew(answer) {
  const lost = answer.work.unplaced.length;
  const aside = lost
    ? ` ${plural(lost, "highlight or answer", "highlights or answers")} could not be found in it ` +
      "and are kept aside, listed when you reload."
    : "";
  if (answer.version === data.version) {
    highlights = answer.work.highlights.map((h) => ({ ...h }));
    putAnswers(answer.work.answers);
    autosave.base = { highlights: answer.work.highlights, answers: answer.work.answers };
    redraw();
    if (lost) showNotice("exercise-changed", [`The exercise changed since this work was kept.${aside}`]);
    return;
  }
  showNotice("exercise-changed", [
    "The author changed this exercise while you worked. Your work is saved on the new version, each " +
      `highlight on the words you chose; reload the page to see it.${aside}`,
  ]);
}

// --- work this browser kept that the server does not have --------------------------------------

// The work as what a student would call the same: answers, and each highlight's words, tag and
// (on one version of the exercise) place.
function sameWork(a, b, places = true) {
  const shape = (w) =>
    JSON.stringify([
      Object.entries(w.answers || {}).sort(),
      (w.highlights || []).map((h) => [h.article, h.quote, h.category, h.note || "", places && h.start]),
    ]);
  return shape(a) === shape(b);
}

function offerKeptWork() {
  const kept = autosave.kept();
  if (!kept) return;
  const work = JSON.parse(kept.body);
  const here = kept.version === data.version;
  if (sameWork(work, { highlights, answers: collectAnswers() }, here)) {
    autosave.forget(); // the server has it already
    return;
  }
  const offer = document.getElementById("kept-work");
  const when = new Date(kept.at);
  document.getElementById("kept-work-when").textContent =
    ` (${when.toLocaleDateString()} ${when.toLocaleTimeString()})`;
  offer.hidden = false;
  document.getElementById("kept-work-restore").addEventListener("click", () => {
    offer.hidden = true;
    if (here) {
      highlights = work.highlights.map((h) => ({ ...h }));
      putAnswers(work.answers);
      redraw();
      autosave.schedule(0);
    } else {
      // made on an older version: the server finds each highlight again by its words
      autosave.save({ highlights: work.highlights, answers: work.answers, version: kept.version });
    }
    announce("Your unsaved work is back on the page; saving it now.");
  });
  document.getElementById("kept-work-discard").addEventListener("click", () => {
    autosave.forget();
    offer.hidden = true;
    announce("The work kept in this browser was discarded.");
  });
}

document.body.classList.add("js");
redraw();
offerKeptWork();
