// Saving the work to the server as the student goes, retrying while it cannot be reached, and
// keeping it in this browser (localStorage) until the server has it.

const KEEPALIVE_LIMIT = 60000; // browsers refuse keepalive bodies over 64 KiB
const FIRST_RETRY = 1000;
const LAST_RETRY = 15000;

export class Autosave {
  constructor(url, csrfToken, collect, report, keptKey, version) {
    Object.assign(this, { url, csrfToken, collect, report, keptKey, version });
    this.timer = null;
    this.saving = false;
    this.unsaved = false;
    this.retryDelay = FIRST_RETRY;
  }

  // What this browser kept of work the server does not have yet: {body, version, at} or null.
  kept() {
    try {
      return JSON.parse(localStorage.getItem(this.keptKey));
    } catch {
      return null;
    }
  }

  keep(body) {
    try {
      localStorage.setItem(this.keptKey, JSON.stringify({ body, version: this.version, at: Date.now() }));
    } catch {
      // storage full or turned off: the page still holds the work and says it is not saved
    }
  }

  forget(body = null) {
    // only the copy that was saved: a newer change waiting to be sent stays kept
    if (body === null || this.kept()?.body === body) localStorage.removeItem(this.keptKey);
  }

  schedule(delay = 800) {
    this.unsaved = true;
    this.keep(JSON.stringify(this.collect()));
    this.report("Not saved yet…", "pending");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), delay);
  }

  async save() {
    if (this.saving) {
      this.schedule();
      return;
    }
    this.saving = true;
    this.unsaved = false;
    const body = JSON.stringify(this.collect());
    this.keep(body);
    try {
      const response = await fetch(this.url, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken },
        body,
        credentials: "same-origin",
        keepalive: body.length < KEEPALIVE_LIMIT, // a save started as the tab closes still lands
      });
      if (response.ok) {
        const { saved_at: savedAt } = await response.json();
        this.retryDelay = FIRST_RETRY;
        this.forget(body);
        if (!this.unsaved) this.report(`All changes saved (${savedAt.slice(11, 19)} UTC).`, "saved");
      } else if (response.status < 500) {
        // refused: still unsaved (leaving the page warns), and kept here for the next visit
        this.unsaved = true;
        const problem = await response.json().catch(() => ({}));
        const why = (problem.error || response.statusText).replace(/[.\s]+$/, "");
        this.report(`Not saved: ${why}. Your work is kept in this browser.`, "error");
      } else {
        throw new Error(`server answered ${response.status}`);
      }
    } catch {
      this.unsaved = true;
      this.report("Not saved yet: the server cannot be reached. Retrying…", "error");
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.save(), this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, LAST_RETRY);
    } finally {
      this.saving = false;
    }
  }
}
