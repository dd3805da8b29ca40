// A mailing's page while its mails go out: poll the small JSON endpoint, move the bar, the state
// and the counts, and tell screen readers how it goes through the polite live region
// #mailing-announce — when the state changes ("in de wachtrij" → "verzonden 1 van 3") and at each
// quarter of the way, never at every poll. Once every mail was handled, the per-person section is
// fetched afresh from the server (unless the keyboard is in it). The words come from the server.
// Without this file the page shows the state at load, with a "Vernieuwen" link while mail waits.
(() => {
  "use strict";
  const POLL_MS = 3000;
  const IDLE_POLL_MS = 15000; // nothing moved for a while (a worker that is down): ask less often
  const IDLE_AFTER = 10;

  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("mailing-progress");
    if (!box || !window.fetch || box.dataset.done === "true") return;
    const bar = box.querySelector("progress");
    const barLabel = box.querySelector(".progress-label");
    const hint = box.querySelector(".hint");
    const tag = document.querySelector("#mailing-state .tag");
    const announcer = document.getElementById("mailing-announce");

    const quarter = (sent, total) => (total > 0 ? Math.floor((4 * sent) / total) : 0);
    let lastState = box.dataset.state;
    let lastQuarter = quarter(Number(bar.value), Number(bar.max));
    let lastCounts = "";
    let unchanged = 0;

    function show(data) {
      bar.max = Math.max(data.total, 1);
      bar.value = data.sent;
      bar.textContent = `${Math.round((100 * data.sent) / Math.max(data.total, 1))}%`;
      if (barLabel) barLabel.textContent = data.bar_label;
      if (hint) hint.textContent = data.summary || data.nothing_yet;
      if (tag) {
        tag.textContent = data.label;
        tag.className = `tag tag--${data.colour}`;
      }
    }

    function announce(data) {
      const now = quarter(data.sent, data.total);
      if (announcer && (data.done || data.state !== lastState || now > lastQuarter)) {
        announcer.textContent = data.announcement;
      }
      lastState = data.state;
      lastQuarter = now;
    }

    async function refreshList(data) {
      const section = document.getElementById("per-persoon");
      const note = section && section.querySelector("[data-note]");
      if (!section) return;
      if (!section.contains(document.activeElement)) {
        try {
          const response = await fetch(window.location.href, { credentials: "same-origin" });
          if (!response.ok) throw new Error(String(response.status));
          const page = new DOMParser().parseFromString(await response.text(), "text/html");
          const fresh = page.getElementById("per-persoon");
          if (fresh) {
            section.replaceWith(document.importNode(fresh, true));
            return;
          }
        } catch (error) {
          // keep the table as it is, with the note below
        }
      }
      if (note) note.textContent = data.done_note;
    }

    async function poll() {
      let data;
      try {
        const response = await fetch(box.dataset.url, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error(String(response.status));
        data = await response.json();
      } catch (error) {
        window.setTimeout(poll, IDLE_POLL_MS); // a hiccup: try again a little later
        return;
      }
      show(data);
      announce(data);
      if (data.done) {
        refreshList(data);
        return;
      }
      const counts = `${data.sent}/${data.queued}/${data.failed}/${data.dropped}/${data.total}`;
      unchanged = counts === lastCounts ? unchanged + 1 : 0;
      lastCounts = counts;
      window.setTimeout(poll, unchanged >= IDLE_AFTER ? IDLE_POLL_MS : POLL_MS);
    }
    window.setTimeout(poll, POLL_MS);
  });
})();
