// The search form: Enter searches (Shift+Enter for a new line), a character counter against the
// limit, and focus on the answer's heading after a search (so the first Tab reaches the first result).
(function () {
  "use strict";
  const form = document.getElementById("search-form");
  const box = document.getElementById("q");
  if (!form || !box) return;
  const max = Number(box.dataset.max);
  const count = document.getElementById("q-count");
  const alert = document.getElementById("q-alert");
  const fmt = (n) => n.toLocaleString("en");
  let wasOver = box.value.length > max;

  function update() {
    const n = box.value.length, over = n > max;
    count.textContent = fmt(n) + " / " + fmt(max) + " characters" +
      (over ? ": " + fmt(n - max) + " too many, shorten it to the key findings" : "");
    count.classList.toggle("over", over);
    if (over !== wasOver) {  // announced once when crossing the limit, not at every key
      alert.textContent = over ? "The description is longer than " + fmt(max) + " characters." : "";
      wasOver = over;
    }
  }

  box.addEventListener("input", update);
  box.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  update();

  const heading = document.getElementById("results-heading") || document.getElementById("error-heading");
  if (heading && new URLSearchParams(window.location.search).get("q")) {
    heading.focus();
  }
})();

// "Finding to add": a combobox suggesting HPO terms from GET /api/terms as one types (labels and
// synonyms, typos forgiven). ArrowDown/ArrowUp move through the suggestions, Enter adds the chosen
// term (its HPO id) to the same search, Escape closes the list. Works with the keyboard alone.
(function () {
  "use strict";
  const input = document.getElementById("add-term");
  const list = document.getElementById("term-options");
  const status = document.getElementById("term-status");
  if (!input || !list) return;
  let options = [], active = -1, timer = null, asked = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(terms) {
    list.replaceChildren();
    options = terms;
    terms.forEach((t, i) => {
      const li = document.createElement("li");
      li.id = "term-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.hpo = t.hpo_id;
      li.textContent = t.name + " (" + t.hpo_id + ")" + (t.matched !== t.name ? " · " + t.matched : "");
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = terms.length === 0;
    input.setAttribute("aria-expanded", String(terms.length > 0));
    status.textContent = terms.length ? terms.length + " suggestions" : "no suggestion";
    active = -1;
  }

  function highlight(i) {
    if (!options.length) return;
    active = (i + options.length) % options.length;
    Array.from(list.children).forEach((li, j) => li.setAttribute("aria-selected", String(j === active)));
    input.setAttribute("aria-activedescendant", "term-option-" + active);
  }

  function choose(i) {
    input.value = options[i].hpo_id;
    close();
    input.form.requestSubmit();
  }

  async function suggest() {
    const typed = input.value.trim();
    if (typed.length < 2 || /^HP[:_]\d/i.test(typed) || typed === asked) return;
    asked = typed;
    try {
      const r = await fetch("/api/terms?" + new URLSearchParams({ q: typed, limit: "8" }));
      if (r.ok && input.value.trim() === typed) show(await r.json());
    } catch (err) {
      close();
    }
  }

  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 150); });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (list.hidden) return;
      ev.preventDefault();
      highlight(active + (ev.key === "ArrowDown" ? 1 : -1));
    } else if (ev.key === "Enter" && active >= 0 && !list.hidden) {
      ev.preventDefault();
      choose(active);
    } else if (ev.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
})();
