// The check-in page, progressively enhanced: filter the list as you type (the GET search form
// works without this file), and tick or undo without reloading the page.
(() => {
  "use strict";

  const fold = (text) =>
    (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();

  function filter(list, query, empty) {
    const wanted = fold(query);
    let shown = 0;
    list.querySelectorAll(".checkin-row").forEach((row) => {
      const name = fold(row.dataset.name);
      const reversed = name.split(" ").reverse().join(" ");
      const match = !wanted || name.includes(wanted) || reversed.includes(wanted);
      row.hidden = !match;
      if (match) shown += 1;
    });
    if (empty) empty.hidden = shown > 0;
  }

  function countsText(counts, template) {
    return template.replace("{present}", counts.present).replace("{expected}", counts.expected);
  }

  async function submit(form, list, status) {
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok) {
        status.textContent = data.error || "";
        if (button) button.disabled = false;
        return;
      }
      const row = form.closest(".checkin-row");
      const holder = document.createElement("template");
      holder.innerHTML = data.row.trim();
      const fresh = holder.content.firstElementChild;
      row.replaceWith(fresh);
      status.textContent = data.message;
      const counter = document.getElementById("checkin-counts");
      if (counter && counter.dataset.template) counter.textContent = countsText(data.counts, counter.dataset.template);
      const next = fresh.querySelector("button");
      if (next) next.focus();
    } catch (error) {
      form.submit(); // the network hiccupped: fall back to the plain form post
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const list = document.getElementById("checkin-lijst");
    const search = document.querySelector("[data-checkin-search]");
    const status = document.getElementById("checkin-melding");
    if (!list) return;
    const empty = document.getElementById("checkin-geen");
    if (search) {
      search.addEventListener("input", () => filter(list, search.value, empty));
      filter(list, search.value, empty);
    }
    list.addEventListener("submit", (event) => {
      const form = event.target;
      if (!form.matches("form[data-checkin]") || !window.fetch) return;
      event.preventDefault();
      submit(form, list, status);
    });
  });
})();
