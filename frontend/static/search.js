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
