// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so screen readers announce what went wrong.
  const summary = document.getElementById("fouten");
  if (summary) summary.focus();
  // Filters folded away for a phone (<details data-open-wide>) stand open on a wide screen.
  if (window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach((el) => { el.open = true; });
  }
  // Auto-submit filter forms marked data-autosubmit when a select changes.
  document.querySelectorAll("form[data-autosubmit] select").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
  // Confirm destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // "Bedoelde je …?": a likely typo in an e-mail address (gmial.com) gets a hint that one tap
  // accepts (it fills the field) and that can be ignored. The server knows the domains: only the
  // part after the @ is sent. Without JavaScript the server shows the same hint after a submit.
  const suggestion = document.getElementById("email-suggestion");
  const email = suggestion && suggestion.closest("form").querySelector('input[name="email"]');
  if (suggestion && email) {
    const offer = (address) => {
      const line = document.createElement("p");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.name = "email_suggestion";
      button.value = address;
      button.textContent = address;
      line.append(suggestion.dataset.text + " ", button, "?");
      suggestion.replaceChildren(line);
    };
    suggestion.querySelectorAll("button").forEach((button) => { button.type = "button"; });
    suggestion.addEventListener("click", (event) => {
      const button = event.target.closest("button[name=email_suggestion]");
      if (!button) return;
      event.preventDefault();
      email.value = button.value;
      const done = document.createElement("p");
      done.textContent = suggestion.dataset.done.replace("%s", button.value);
      suggestion.replaceChildren(done);
      email.focus();
    });
    email.addEventListener("change", async () => {
      const [local, domain] = [email.value.slice(0, email.value.lastIndexOf("@")), email.value.split("@").pop()];
      if (!local || !domain || !email.value.includes("@")) { suggestion.replaceChildren(); return; }
      try {
        const url = `${suggestion.dataset.url}?domein=${encodeURIComponent(domain.trim())}`;
        const answer = await (await fetch(url, { headers: { Accept: "application/json" } })).json();
        if (answer.domain) offer(`${local.trim()}@${answer.domain}`);
        else suggestion.replaceChildren();
      } catch (error) {
        suggestion.replaceChildren();  // no hint is fine; the form works without it
      }
    });
  }
  // The navigation's menus (<details>): one open at a time; Escape or a click elsewhere closes.
  const menus = Array.from(document.querySelectorAll(".site-nav details"));
  menus.forEach((menu) => {
    menu.addEventListener("toggle", () => {
      if (menu.open) menus.forEach((other) => { if (other !== menu) other.open = false; });
    });
  });
  document.addEventListener("click", (event) => {
    menus.forEach((menu) => { if (menu.open && !menu.contains(event.target)) menu.open = false; });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    menus.forEach((menu) => {
      if (menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
    });
  });
  // Companion rows (data-companion-row): an empty extra row waits behind "Nog iemand toevoegen".
  document.querySelectorAll("[data-companions]").forEach((box) => {
    const rows = Array.from(box.querySelectorAll("[data-companion-row]"));
    const more = box.querySelector("[data-companion-more]");
    if (!more) return;
    const filled = (row) => Array.from(row.querySelectorAll("input")).some((i) => i.value.trim());
    rows.forEach((row, n) => { if (n > 0 && !filled(row) && !row.querySelector(".field-error")) row.hidden = true; });
    const sync = () => { more.hidden = !rows.some((row) => row.hidden); };
    more.addEventListener("click", () => {
      const next = rows.find((row) => row.hidden);
      if (next) { next.hidden = false; next.querySelector("input").focus(); }
      sync();
    });
    sync();
  });
  // Registration questions shown only when another answer matches (data-show-when names that
  // field, data-show-value the answer): hidden live while it does not. Without JavaScript they
  // show with a hint "Alleen als …" and the server ignores an answer that does not apply.
  const conditional = document.querySelectorAll("[data-show-when]");
  if (conditional.length) {
    const form = conditional[0].closest("form");
    const answers = (name) => {
      const inputs = [...form.querySelectorAll(`[name="${name}"]`)];
      if (inputs.some((el) => el.closest("[hidden]"))) return [];
      return inputs.filter((el) => !["radio", "checkbox"].includes(el.type) || el.checked).map((el) => el.value);
    };
    const update = () => conditional.forEach((block) => {
      block.hidden = !answers(block.dataset.showWhen).includes(block.dataset.showValue);
    });
    form.addEventListener("change", update);
    update();
  }
});
