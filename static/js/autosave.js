// Saving the work to the server as the student goes, retrying while it cannot be reached.

const KEEPALIVE_LIMIT = 60000; // browsers refuse keepalive bodies over 64 KiB
const FIRST_RETRY = 1000;
const LAST_RETRY = 15000;

export class Autosave {
  constructor(url, csrfToken, collect, report) {
    Object.assign(this, { url, csrfToken, collect, report });
    this.timer = null;
    this.saving = false;
    this.unsaved = false;
    this.retryDelay = FIRST_RETRY;
  }

  schedule(delay = 800) {
    this.unsaved = true;
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
        if (!this.unsaved) this.report(`All changes saved (${savedAt.slice(11, 19)} UTC).`, "saved");
      } else if (response.status < 500) {
        const problem = await response.json().catch(() => ({}));
        this.report(`Not saved: ${problem.error || response.statusText}. Reload the page.`, "error");
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
