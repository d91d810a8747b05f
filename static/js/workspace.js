// On a phone the article and the steps are one long column. A bar that stays at the top of the
// screen takes the student to the steps and back to the place they left in the article, keeping
// the words they selected (and so the highlight the tagger is making of them).

const bar = document.querySelector(".work-bar");
const links = [...bar.querySelectorAll("a[data-part]")];
const part = (name) => document.getElementById(name === "steps" ? "steps" : "articles");
let readingAt = null; // where the student was in the article when they went to the steps
let kept = null; // the words selected then, should the tap have cleared them

const top = (el) => el.getBoundingClientRect().top + window.scrollY - bar.offsetHeight - 8;

function goTo(name, byKeyboard) {
  const selection = window.getSelection();
  if (name === "steps") {
    if (inView() === "article") readingAt = window.scrollY;
    kept = selection.rangeCount && !selection.isCollapsed ? selection.getRangeAt(0).cloneRange() : null;
    window.scrollTo({ top: top(part("steps")), behavior: "instant" });
  } else {
    window.scrollTo({ top: readingAt ?? top(part("article")), behavior: "instant" });
    if (kept && selection.isCollapsed) selection.addRange(kept);
  }
  // keyboard users are taken there; a tap leaves focus (and the selection) alone
  if (byKeyboard) {
    const to = name === "steps" ? document.getElementById("steps-title") : part(name);
    to.focus({ preventScroll: true });
  }
  mark();
}

// Which part fills the screen below the bar: the steps once their top reaches the middle.
function inView() {
  const steps = part("steps").getBoundingClientRect().top;
  return steps < window.innerHeight / 2 ? "steps" : "article";
}

function mark() {
  const current = inView();
  for (const link of links) {
    link.setAttribute("aria-current", link.dataset.part === current ? "location" : "false");
  }
}

for (const link of links) {
  // a press on the link would clear the selection before the click
  link.addEventListener("mousedown", (event) => event.preventDefault());
  link.addEventListener("click", (event) => {
    event.preventDefault();
    goTo(link.dataset.part, event.detail === 0);
  });
}
let pending = false;
window.addEventListener(
  "scroll",
  () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      mark();
    });
  },
  { passive: true },
);
mark();
