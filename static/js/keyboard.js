// Highlighting without a mouse: a word cursor that arrow keys move and Shift+arrows extend.

// Word spans [start, end) in code points, with the paragraph each belongs to.
export function words(article, paragraphs) {
  return article.words().map(({ start, end }) => ({
    start,
    end,
    paragraph: paragraphs.findIndex(([a, b]) => start >= a && start < b),
  }));
}

// Which word the cursor goes to for a key, or null if the key is not a movement.
export function move(list, at, key) {
  const here = list[at];
  switch (key) {
    case "ArrowRight":
      return Math.min(list.length - 1, at + 1);
    case "ArrowLeft":
      return Math.max(0, at - 1);
    case "ArrowDown": {
      const next = list.findIndex((w) => w.paragraph > here.paragraph);
      return next === -1 ? list.length - 1 : next;
    }
    case "ArrowUp": {
      const first = list.findIndex((w) => w.paragraph === here.paragraph);
      if (first < at) return first;
      const before = list.findIndex((w) => w.paragraph === here.paragraph - 1);
      return before === -1 ? 0 : before;
    }
    case "Home":
      return 0;
    case "End":
      return list.length - 1;
    default:
      return null;
  }
}
