// The studio's edit page: mark answer-key items on the article with the students' highlighter
// (mouse, touch or keyboard), write why and how to check, and keep the draft saved; the problems
// of each save are shown beside the item or step they concern.

import { ArticleText } from "./article.js";
import { Autosave } from "./autosave.js";
import { Highlighter, button } from "./highlighter.js";

const data = JSON.parse(document.getElementById("studio-data").textContent);
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
const categories = new Map(data.categories.map((c) => [c.id, c]));
const articles = new Map(
  Object.entries(data.articles).map(([id, text]) => [id, new ArticleText(id, text)]),
);

const fields = document.getElementById("exercise-fields");
const titleField = document.getElementById("draft-title");
const summaryField = document.getElementById("draft-summary");
const saveStatus = document.getElementById("save-status");
const announcer = document.getElementById("announcer");
const tagger = document.getElementById("tagger");
const taggerQuote = document.getElementById("tagger-quote");
const taggerWhy = document.getElementById("tagger-why");
const taggerCheck = document.getElementById("tagger-check");
const taggerCore = document.getElementById("tagger-core");
const taggerGroup = document.getElementById("tagger-group");
const groupNames = document.getElementById("tagger-groups");
const taggerError = document.getElementById("tagger-error");
const taggerSave = document.getElementById("tagger-save");
const taggerReason = document.getElementById("tagger-reason");
const suggestionList = document.getElementById("suggestion-list");
const suggestionCount = document.getElementById("suggestion-count");
const radios = () => [...tagger.querySelectorAll('input[name="tag-category"]')];

// Each key item: {article, start, end, category, why, check, core, group, task}; task is the
// server's choice.
let key = data.key.map((k) => ({ ...k }));
let problems = data.problems;
// Suggestions: {id, article, start, end, category, quote, reason}; dismissed ones by their id.
const suggestions = data.suggestions;
let dismissed = [...data.dismissed];
let pending = null; // {span} for a new item, {item} when editing one
let moving = null; // the item whose words the next selection replaces
let returnFocus = null;

const announce = (message) => {
  announcer.textContent = message;
};
const quoteOf = (k) => articles.get(k.article).quote(k.start, k.end);

const autosave = new Autosave({
  url: data.draftUrl,
  sessionUrl: data.sessionUrl,
  csrfToken,
  collect: () => ({
    title: titleField.value,
    summary: summaryField.value,
    key: key.map(({ article, start, end, category, why, check, core, group }) => ({
      article,
      start,
      end,
      category,
      why,
      check,
      core: Boolean(core),
      group: group || "",
    })),
    dismissed,
  }),
  report: (message, kind) => {
    saveStatus.textContent = message;
    saveStatus.dataset.kind = kind;
  },
  keptKey: data.keptKey,
  version: data.version,
  revision: data.revision,
  base: null,
  userId: data.userId,
  changedElsewhere: () => {
    autosave.halt();
    const notice = document.getElementById("changed-elsewhere");
    notice.textContent =
      "This draft was saved from another tab or device since this page opened, so nothing more is " +
      "saved from here. Reload the page to see the draft as it is now.";
    notice.hidden = false;
  },
  placedAnew: () => {},
  newToken: (token) => {
    document.querySelector('meta[name="csrf-token"]').content = token;
  },
  saved: (answer) => {
    problems = answer.problems;
    // the server decides which step each item belongs to, by its category
    if (answer.tasks.length === key.length) key.forEach((k, i) => Object.assign(k, { task: answer.tasks[i] }));
    drawLists();
  },
});

const highlighter = new Highlighter({
  articles,
  categories,
  marks: () => key,
  tagger,
  announce,
  busy: () => Boolean(pending?.item),
  onSpan: placeSpan,
  enterDoes: "marks",
});

// --- drawing ------------------------------------------------------------------------------

function problemList(field) {
  const ul = document.createElement("ul");
  ul.className = "problems";
  for (const p of problems.filter((q) => q.field === field)) {
    const li = document.createElement("li");
    li.className = `problem problem-${p.severity}`;
    li.textContent = `${p.severity === "error" ? "Error" : "Warning"}: ${p.message}`;
    if (p.hint) {
      const hint = document.createElement("span");
      hint.className = "small";
      hint.textContent = ` (${p.hint})`;
      li.append(hint);
    }
    ul.append(li);
  }
  return ul;
}

function keyItem(k, index) {
  const category = categories.get(k.category);
  const li = document.createElement("li");
  li.className = "key-item";
  li.dataset.index = index;
  const badge = document.createElement("span");
  badge.className = `badge cat-${category.style}`;
  badge.textContent = category.label;
  const quote = document.createElement("q");
  quote.textContent = quoteOf(k);
  const why = document.createElement("p");
  why.textContent = k.why ? k.why : "No explanation yet.";
  if (!k.why) why.className = "small";
  li.append(badge, " ", quote, why);
  if (k.core || k.group) {
    const weight = document.createElement("p");
    weight.className = "small";
    weight.textContent = [k.core ? "Core" : "", k.group ? `Group: ${k.group}` : ""].filter(Boolean).join(" · ");
    li.append(weight);
  }
  if (k.check) {
    const check = document.createElement("p");
    check.className = "check";
    check.textContent = `How to check: ${k.check}`;
    li.append(check);
  }
  const actions = document.createElement("span");
  actions.className = "actions";
  const label = `key item “${quoteOf(k)}”`;
  const edit = button("Edit", `Edit ${label}`, () => openTagger({ item: k }, edit));
  const resize = button(moving === k ? "Cancel moving" : "Move or resize", `Move or resize ${label}`, () =>
    startMoving(k),
  );
  actions.append(edit, " ", resize, " ", button("Remove", `Remove ${label}`, () => remove(k)));
  li.append(actions, problemList(`key:${index}`));
  return li;
}

function drawLists() {
  // the lists are drawn anew, buttons and all: a button that had the focus gives it to its
  // successor of the same name, so that a keyboard user is not sent back to the page's top
  const focused = document.activeElement?.closest(".key-list") && document.activeElement.getAttribute("aria-label");
  const lists = [...document.querySelectorAll(".key-list")];
  const steps = new Set(lists.map((l) => l.dataset.task).filter(Boolean));
  for (const list of lists) {
    const mine = key
      .map((k, i) => [k, i])
      .filter(([k]) => (list.dataset.task ? k.task === list.dataset.task : !steps.has(k.task)))
      .sort(([a], [b]) => a.article.localeCompare(b.article) || a.start - b.start);
    const items = mine.map(([k, i]) => keyItem(k, i));
    if (!items.length) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "None yet.";
      items.push(empty);
    }
    list.replaceChildren(...items);
  }
  for (const ul of document.querySelectorAll("ul.problems[data-field]")) {
    ul.replaceChildren(...problemList(ul.dataset.field).children);
  }
  if (focused) document.querySelector(`.key-list [aria-label="${CSS.escape(focused)}"]`)?.focus();
}

// A suggestion is offered until it is dismissed or a key item of its category covers it.
const inKey = (s) =>
  key.some((k) => k.article === s.article && k.category === s.category && k.start < s.end && s.start < k.end);
const offered = () => suggestions.filter((s) => !dismissed.includes(s.id) && !inKey(s));

function suggestionItem(s) {
  const category = categories.get(s.category);
  const li = document.createElement("li");
  li.className = "suggestion";
  li.dataset.id = s.id;
  const badge = document.createElement("span");
  badge.className = `badge cat-${category.style}`;
  badge.textContent = category.label;
  const quote = document.createElement("q");
  quote.textContent = s.quote;
  const reason = document.createElement("p");
  reason.className = "small";
  reason.textContent = s.reason;
  const actions = document.createElement("span");
  actions.className = "actions";
  const label = `suggestion “${s.quote}”`;
  const span = { article: s.article, start: s.start, end: s.end };
  const accept = button("Accept", `Accept ${label}`, () => openTagger({ span, suggestion: s }, accept));
  actions.append(accept, " ", button("Dismiss", `Dismiss ${label}`, () => dismiss(s)));
  li.append(badge, " ", quote, reason, actions);
  return li;
}

function drawSuggestions() {
  const shown = offered();
  suggestionCount.textContent = shown.length
    ? `${shown.length} suggestion${shown.length === 1 ? "" : "s"} left.`
    : "No suggestions left: the rest of the key is yours to find.";
  suggestionList.replaceChildren(...shown.map(suggestionItem));
}

// After a suggestion is accepted or dismissed the focus goes to the next one, so that a
// keyboard user can go down the list.
const after = (s) => offered()[offered().indexOf(s) + 1] || null;

function focusSuggestion(s) {
  const target = s && suggestionList.querySelector(`[data-id="${CSS.escape(s.id)}"] button`);
  (target || document.getElementById("suggestions-title")).focus();
}

function dismiss(s) {
  const next = after(s);
  dismissed.push(s.id);
  drawSuggestions();
  announce(`Dismissed the suggestion “${s.quote}”.`);
  focusSuggestion(next);
  autosave.schedule(0);
}

function redraw() {
  highlighter.draw();
  drawLists();
  drawSuggestions();
}

// --- marking --------------------------------------------------------------------------------

function openTagger(target, from = null) {
  pending = target;
  returnFocus = from;
  const k = target.item || target.span;
  taggerQuote.textContent = quoteOf(k);
  const chosen = target.item?.category || target.suggestion?.category;
  for (const radio of radios()) radio.checked = radio.value === chosen;
  taggerReason.textContent = target.suggestion ? `Suggested because: ${target.suggestion.reason}` : "";
  taggerReason.hidden = !target.suggestion;
  taggerWhy.value = target.item?.why || "";
  taggerCheck.value = target.item?.check || "";
  taggerCore.checked = Boolean(target.item?.core);
  taggerGroup.value = target.item?.group || "";
  // the groups already named, offered as the author types: one name per problem
  groupNames.replaceChildren(
    ...[...new Set(key.map((k) => k.group).filter(Boolean))].sort().map((name) => new Option(name)),
  );
  taggerSave.textContent = target.item ? "Save changes" : "Add key item";
  taggerError.hidden = true;
  tagger.hidden = false;
  if (target.suggestion) taggerWhy.focus();
  else if (from) (radios().find((r) => r.checked) || radios()[0]).focus();
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
    taggerError.textContent = "Choose the category of these words.";
    taggerError.hidden = false;
    radios()[0].focus();
    return;
  }
  const values = {
    category: chosen.value,
    why: taggerWhy.value.trim(),
    check: taggerCheck.value.trim(),
    core: taggerCore.checked,
    group: taggerGroup.value.trim(),
  };
  const accepted = pending.suggestion;
  const next = accepted ? after(accepted) : null;
  if (pending.item) {
    Object.assign(pending.item, values);
    announce(`Key item “${quoteOf(pending.item)}” changed.`);
  } else {
    const item = { ...pending.span, ...values, task: null };
    // in reading order: the file lists a step's key as the article reads
    const after = key.findIndex((k) => k.article === item.article && k.start > item.start);
    key.splice(after === -1 ? key.length : after, 0, item);
    announce(`Marked “${quoteOf(item)}” as ${categories.get(values.category).label}.`);
    highlighter.done();
  }
  closeTagger();
  redraw();
  if (accepted) focusSuggestion(next);
  autosave.schedule(0);
}

function remove(k) {
  key = key.filter((other) => other !== k);
  if (pending?.item === k) closeTagger();
  redraw();
  announce(`Removed the key item “${quoteOf(k)}”.`);
  autosave.schedule(0);
}

function startMoving(k) {
  moving = moving === k ? null : k;
  drawLists();
  announce(moving ? `Select the words “${quoteOf(k)}” should cover now.` : "Moving cancelled.");
}

function placeSpan(span, from = null) {
  if (moving) {
    const k = moving;
    moving = null;
    Object.assign(k, { article: span.article, start: span.start, end: span.end });
    highlighter.done();
    redraw();
    announce(`The key item now covers “${quoteOf(k)}”.`);
    autosave.schedule(0);
    return;
  }
  openTagger({ span }, from);
}

taggerSave.addEventListener("click", saveTag);
document.getElementById("tagger-cancel").addEventListener("click", () => {
  closeTagger();
  window.getSelection()?.removeAllRanges();
});
tagger.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closeTagger();
});
fields.addEventListener("input", () => autosave.schedule());
fields.addEventListener("submit", (event) => event.preventDefault());
window.addEventListener("beforeunload", (event) => {
  if (autosave.unsaved) event.preventDefault();
});

document.body.classList.add("js");
autosave.forget();
redraw();
