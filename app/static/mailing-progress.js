// The mailing's progress page: poll the small JSON endpoint and move the <progress> bar while the
// outbox delivers. Without this file the page shows the state at load time (reload to update).
(() => {
  "use strict";
  const POLL_MS = 2000;

  document.addEventListener("DOMContentLoaded", () => {
    const box = document.getElementById("mailing-progress");
    if (!box || !window.fetch || box.dataset.done === "true") return;
    const bar = document.getElementById("mailing-bar");

    async function poll() {
      let data;
      try {
        const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) throw new Error(String(response.status));
        data = await response.json();
      } catch (error) {
        window.setTimeout(poll, POLL_MS * 3); // a hiccup: try again a little later
        return;
      }
      bar.max = Math.max(data.planned, 1);
      bar.value = data.sent;
      bar.textContent = `${data.sent} / ${data.planned}`;
      ["sent", "queued", "failed", "planned"].forEach((name) => {
        const el = box.querySelector(`[data-count="${name}"]`);
        if (el) el.textContent = data[name];
      });
      if (data.done) {
        window.location.reload(); // the per-person table shows the final states
        return;
      }
      window.setTimeout(poll, POLL_MS);
    }
    window.setTimeout(poll, POLL_MS);
  });
})();
