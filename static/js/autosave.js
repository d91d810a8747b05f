// Saving the work to the server as the student goes, retrying while it cannot be reached, and
// keeping it in this browser (localStorage) until the server has it.
//
// Each save names the draft revision the page's work is based on: one saved from elsewhere (a
// tab, a device) in between is refused (409) with the draft as it stands, which the page merges.
// A save refused because the student is logged out, or must choose a new password, waits until
// the session is back (the page asks /api/session) and is then sent with the new session's token.

const KEEPALIVE_LIMIT = 60000; // browsers refuse keepalive bodies over 64 KiB
const FIRST_RETRY = 1000;
const LAST_RETRY = 15000;
const SESSION_CHECK = 4000; // how often a page waiting for its student to log back in asks

export class Autosave {
  // options: url, sessionUrl, csrfToken, collect() -> work, report(message, kind), keptKey,
  // version, revision, base (the work at that revision), userId, and the page's part:
  // changedElsewhere(draft) when the draft moved on elsewhere, placedAnew(answer) when the
  // server placed the work on a newer version of the exercise, newToken(token) after a login;
  // optionally saved(answer), with the server's answer to each save that is taken.
  constructor(options) {
    Object.assign(this, options);
    this.timer = null;
    this.saving = false;
    this.unsaved = false;
    this.retryDelay = FIRST_RETRY;
    this.waitingForSession = false;
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

  // No more saves from this page (its work can no longer be put together with the saved one):
  // what the student does stays kept in this browser, and leaving the page asks first.
  halt() {
    this.halted = true;
    this.unsaved = true;
    clearTimeout(this.timer);
    this.report("Not saved: reload the page. Your work is kept in this browser.", "error");
  }

  schedule(delay = 800) {
    this.unsaved = true;
    this.keep(JSON.stringify(this.collect()));
    if (this.waitingForSession || this.halted) return; // the message says why; the work is kept
    this.report("Not saved yet…", "pending");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), delay);
  }

  async save(work = null) {
    if (this.halted || this.waitingForSession) return; // the work is kept; the message says why
    if (this.saving) {
      this.schedule();
      return;
    }
    this.saving = true;
    this.unsaved = false;
    const sent = work || this.collect();
    const body = JSON.stringify(sent);
    if (!work) this.keep(body);
    try {
      const response = await fetch(this.url, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrfToken },
        body: JSON.stringify({ ...sent, version: work?.version || this.version, revision: this.revision }),
        credentials: "same-origin",
        keepalive: body.length < KEEPALIVE_LIMIT, // a save started as the tab closes still lands
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        this.retryDelay = FIRST_RETRY;
        this.revision = answer.revision;
        this.base = sent;
        this.forget(work ? null : body); // work restored from this browser is the server's now
        if (answer.work) this.placedAnew(answer);
        this.saved?.(answer);
        if (!this.unsaved) this.report(`All changes saved (${answer.saved_time}).`, "saved");
      } else if (response.status === 409 && answer.draft) {
        this.unsaved = true;
        this.revision = answer.draft.revision;
        this.changedElsewhere(answer.draft, this.base);
        this.base = answer.draft.work;
      } else if (response.status < 500) {
        this.unsaved = true; // refused: still unsaved (leaving the page warns), and kept here
        await this.refused(answer, response);
      } else {
        this.retryLater(answer.error && `Not saved: ${reason(answer, response)}`);
      }
    } catch {
      this.retryLater();
    } finally {
      this.saving = false;
    }
  }

  retryLater(why = "Not saved yet: the server cannot be reached") {
    this.unsaved = true;
    this.report(`${why}. Your work is kept in this browser; trying again…`, "error");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, LAST_RETRY);
  }

  // Refused: when the session behind this page has changed (the student logged out and in
  // again, in another tab, or chose a new password), save with the new one's token; when nobody
  // or someone else is logged in, say so and wait for the student to come back; else say why.
  async refused(answer, response) {
    const session = await this.session();
    if (session?.user_id === this.userId && session.csrf_token !== this.csrfToken) {
      this.takeUp(session);
      this.timer = setTimeout(() => this.save(), 0);
      return;
    }
    if (session && session.user_id !== this.userId) {
      this.report(
        "Not saved: someone else is logged in in this browser now. Log in again as yourself in a " +
          "new tab; your work is kept here and will be saved.",
        "error",
      );
    } else if (session) {
      // the same session refused it for good (work it cannot take, taken out of the class)
      this.report(`Not saved: ${reason(answer, response)}. Your work is kept in this browser.`, "error");
      return;
    } else {
      // logged out, or a new password to choose first: the server's words say which
      const told = (response.status === 401 || response.status === 403) && answer.error;
      this.report(told || "Not saved: you are logged out. Log in again in a new tab; your work is kept here.", "error");
    }
    this.waitForSession();
  }

  waitForSession() {
    if (this.waitingForSession) return;
    this.waitingForSession = true;
    const check = async () => {
      const session = await this.session();
      if (session?.user_id === this.userId) {
        this.waitingForSession = false;
        clearInterval(this.sessionTimer);
        window.removeEventListener("focus", check);
        this.takeUp(session);
        this.save();
      }
    };
    this.sessionTimer = setInterval(check, SESSION_CHECK);
    window.addEventListener("focus", check); // coming back from the tab where they logged in
  }

  takeUp(session) {
    this.csrfToken = session.csrf_token;
    this.newToken(session.csrf_token);
  }

  // Who is logged in now, with their token; null when nobody (or only someone who must choose
  // a new password first) is, or the server cannot be reached.
  async session() {
    try {
      const response = await fetch(this.sessionUrl, { credentials: "same-origin" });
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  }
}

function reason(answer, response) {
  return (answer.error || response.statusText).replace(/[.\s]+$/, "");
}
