// Public search page: suggestions under the search box (keyboard and mouse). Everything else works without JS.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list) return;
  var form = input.form;
  var timer = null;
  var active = -1;
  var lastPrefix = "";
  var KIND_LABEL = { title: "政策", glossary: "名词", query: "常搜" };

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
  }

  function render(items) {
    list.textContent = "";
    active = -1;
    if (!items.length) { close(); return; }
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "suggestion-" + i;
      li.dataset.value = item.text;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = KIND_LABEL[item.kind] || "";
      var text = document.createElement("span");
      text.textContent = item.text;  // never innerHTML: suggestions come from indexed text
      li.appendChild(kind);
      li.appendChild(text);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item.text); });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function choose(value) {
    input.value = value;
    close();
    form.submit();
  }

  function highlight(index) {
    var items = list.querySelectorAll("li");
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (li, i) { li.classList.toggle("active", i === active); li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  function fetchSuggestions() {
    var prefix = input.value.trim();
    if (prefix === lastPrefix) return;
    lastPrefix = prefix;
    if (!prefix) { close(); return; }
    fetch("/api/suggest?size=8&q=" + encodeURIComponent(prefix), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) { if (input.value.trim() === prefix && document.activeElement === input) render(data.suggestions || []); })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) return;
    if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(list.querySelectorAll("li")[active].dataset.value); }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
  var sort = document.getElementById("sort");
  if (sort) sort.addEventListener("change", function () { form.submit(); });
})();
