// The feedback page: the list's filters without a reload, and each key item's link to its place
// in the article, which stays in view beside the list on a laptop. The page works without this
// script (the filters are links the server understands, the items plain anchors); it adds the
// instant filter, the chosen item outlined and focused, and a way back to the list: a button
// after the item, Escape, and the browser's Back.

const list = document.querySelector(".feedback-items");
const nav = document.querySelector(".feedback-filters");
const status = document.querySelector(".filter-status");
const pane = document.querySelector(".articles.pane");
let chosen = null; // { link, marks, back }: the item last shown in the article

function showOnly(name) {
  for (const link of nav.querySelectorAll("a[data-show]")) {
    if (link.dataset.show === name) {
      link.setAttribute("aria-current", "true");
      status.textContent = link.dataset.status;
      const url = new URL(link.href);
      url.hash = "";
      history.replaceState(history.state, "", url);
    } else {
      link.removeAttribute("aria-current");
    }
  }
  for (const other of ["missed", "found", "all"]) list.classList.toggle(`show-${other}`, other === name);
}

// The marks of the item an anchor (#at-<item id>) names: each segment of its words.
function marksOf(anchor) {
  const id = anchor.id.slice("at-".length);
  return [...pane.querySelectorAll("mark[data-keys]")].filter((m) =>
    m.dataset.keys.split(" ").includes(id),
  );
}

// Scroll the element into the middle of the article pane, when the pane scrolls on its own
// (the laptop layout, where the list must not move), else of the window.
function reveal(element) {
  const own = getComputedStyle(pane).overflowY !== "visible" && pane.scrollHeight > pane.clientHeight;
  if (own) {
    const box = element.getBoundingClientRect();
    const frame = pane.getBoundingClientRect();
    pane.scrollBy({ top: box.top - frame.top - (frame.height - box.height) / 2 });
  }
  const box = element.getBoundingClientRect();
  if (!own || box.top < 0 || box.bottom > window.innerHeight) {
    element.scrollIntoView({ block: "center" });
  }
}

function forget() {
  if (!chosen) return;
  for (const mark of chosen.marks) mark.classList.remove("current");
  chosen.back.remove();
  chosen = null;
}

function choose(link, remember) {
  const anchor = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!anchor) return false;
  forget();
  const marks = marksOf(anchor);
  const first = anchor.closest("mark");
  const back = document.createElement("button");
  back.type = "button";
  back.className = "back-to-list";
  back.textContent = "Back to the list";
  back.addEventListener("click", goBack);
  marks.at(-1).after(back);
  for (const mark of marks) mark.classList.add("current");
  link.closest(".key-item")?.querySelector("details.why")?.setAttribute("open", ""); // why, beside it
  chosen = { link, marks, back };
  // the entry made first, so that the list's entry keeps the scroll it had: Back returns there
  if (remember) history.pushState({ chosen: link.id }, "", link.hash);
  first.tabIndex = -1;
  reveal(first);
  first.focus({ preventScroll: true });
  return true;
}

function returnToList() {
  if (!chosen) return;
  const { link } = chosen;
  forget();
  const box = link.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) link.scrollIntoView({ block: "center" });
  link.focus({ preventScroll: true });
}

// Back from the article: through the browser's history when choosing the item made an entry,
// so that Back and this button agree.
function goBack() {
  if (history.state?.chosen) history.back();
  else returnToList();
}

if (list && nav) {
  document.addEventListener("click", (event) => {
    const filter = event.target.closest("a[data-show]");
    if (!filter) return;
    event.preventDefault();
    showOnly(filter.dataset.show);
    if (!nav.contains(filter)) {
      document.getElementById("feedback-list").scrollIntoView({ block: "start" });
      nav.querySelector(`a[data-show="${filter.dataset.show}"]`).focus({ preventScroll: true });
    }
  });
}

if (pane) {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.to-text");
    if (link && choose(link, true)) event.preventDefault();
  });
  pane.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && chosen) {
      event.preventDefault();
      goBack();
    }
  });
  window.addEventListener("popstate", (event) => {
    const link = event.state?.chosen && document.getElementById(event.state.chosen);
    if (link) choose(link, false);
    else returnToList();
  });
}

document.body.classList.add("js");
