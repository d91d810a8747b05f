// Two copies of a student's work that grew apart from one saved draft (two tabs, two devices),
// put together so that nothing either of them did is dropped without the student seeing it.
//
// base is the work both started from, mine this page's, theirs the one saved elsewhere since.
// Highlights are the same highlight when they have the same article, place and words; answers are
// merged question by question. What changed on one side only is taken from that side; what
// changed on both is this page's (the newer: it is being saved now), and the other is reported.

const place = (h) => `${h.article}\u0000${h.start}\u0000${h.end}\u0000${h.quote}`;
const tag = (h) => `${h.category}\u0000${h.note || ""}`;
// an answer not given, whatever its shape
const given = (value) => (value === "" || (Array.isArray(value) && !value.length) ? null : value ?? null);
const same = (a, b) => JSON.stringify(given(a)) === JSON.stringify(given(b));

export function merge(base, mine, theirs) {
  const before = new Map(base.highlights.map((h) => [place(h), h]));
  const here = new Map(mine.highlights.map((h) => [place(h), h]));
  const there = new Map(theirs.highlights.map((h) => [place(h), h]));
  const report = { added: 0, removed: 0, retagged: 0, answers: [], conflicts: [] };
  const highlights = [];
  for (const [key, h] of here) {
    const old = before.get(key);
    if (there.has(key)) {
      const changedThere = tag(there.get(key)) !== tag(h) && old && tag(old) === tag(h);
      if (changedThere) report.retagged += 1;
      highlights.push(changedThere ? there.get(key) : h);
    } else if (old && tag(old) === tag(h)) {
      report.removed += 1; // removed there, untouched here
    } else {
      highlights.push(h); // made here, or changed here and removed there: this page's stands
    }
  }
  for (const [key, h] of there) {
    if (!here.has(key) && !before.has(key)) {
      highlights.push(h);
      report.added += 1;
    }
  }
  highlights.sort((a, b) => a.article.localeCompare(b.article) || a.start - b.start || a.end - b.end);

  const answers = {};
  const tasks = new Set([...Object.keys(mine.answers), ...Object.keys(theirs.answers)]);
  for (const task of tasks) {
    const [old, ours, other] = [base.answers[task], mine.answers[task], theirs.answers[task]];
    if (same(ours, other) || same(other, old)) {
      answers[task] = ours;
    } else if (same(ours, old)) {
      answers[task] = other;
      report.answers.push(task);
    } else {
      answers[task] = ours;
      report.conflicts.push({ task, theirs: other });
    }
  }
  return { work: { highlights, answers }, report };
}
