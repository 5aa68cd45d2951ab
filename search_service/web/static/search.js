// Progressive enhancement: completions under every search box, calendar pickers beside the date fields, and the
// filters folded behind a button on a phone.
// Everything works without this file.
(function () {
  "use strict";
  // The completions' address, as the page gives it: the service may be mounted under a path (/tim-kiem/…).
  var SUGGEST_URL = document.currentScript.getAttribute("data-suggest-url") || "/api/suggest";

  // Lower case without diacritics (đ as d), to compare what was typed with a completion.
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  }

  function setUpCompletions(input, index) {
    var list = document.createElement("ul");
    var listId = "suggestions-" + index;
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gợi ý tìm kiếm");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var active = -1;
    var timer = null;
    var asked = 0;

    function options() { return list.querySelectorAll("li"); }
    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(next) {
      var items = options();
      if (!items.length) { return; }
      active = (next + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    function choose(text) {
      input.value = text;
      close();
      if (input.form) { input.form.submit(); }
    }
    function show(suggestions) {
      list.innerHTML = "";
      suggestions.forEach(function (text, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        // The part already typed in plain weight, the rest in bold (the typed part may lack its diacritics).
        var typed = input.value.trim().length;
        if (typed && fold(text.slice(0, typed)) === fold(input.value.trim())) {
          var done = document.createElement("b");
          done.textContent = text.slice(0, typed);
          var rest = document.createElement("span");
          rest.textContent = text.slice(typed);
          item.appendChild(done);
          item.appendChild(rest);
        } else {
          item.textContent = text;
        }
        item.setAttribute("data-value", text);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(text); });
        list.appendChild(item);
      });
      active = -1;
      list.hidden = suggestions.length === 0;
      input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
    }
    function ask() {
      var prefix = input.value;
      var ticket = ++asked;
      // A completion takes the whole box's place: past the 100 characters the API completes, none is offered.
      if (!prefix.trim() || prefix.length > 100) { close(); return; }
      fetch(SUGGEST_URL + "?q=" + encodeURIComponent(prefix))
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (ticket === asked) { show(data.suggestions || []); } })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && input.value.trim()) { event.preventDefault(); ask(); }  // reopens after Esc
        return;
      }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }  // the list only: a second Esc clears the box
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options()[active].getAttribute("data-value")); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function setUpDatePicker(input) {
    var picker = document.createElement("input");
    picker.type = "date";
    picker.className = "date-picker";
    picker.setAttribute("aria-label", "Chọn ngày trên lịch cho ô " + (input.labels && input.labels[0] ? input.labels[0].textContent : ""));
    picker.addEventListener("change", function () {
      var parts = picker.value.split("-");
      if (parts.length === 3) { input.value = parts[2] + "/" + parts[1] + "/" + parts[0]; }
    });
    input.addEventListener("change", function () {
      var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(input.value.trim());
      picker.value = m ? m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]) : "";
    });
    input.parentNode.appendChild(picker);
  }

  // On a phone the filters and the sort wait behind their "Bộ lọc" button, above the results (open without script).
  if (window.matchMedia("(max-width: 720px)").matches) {
    document.querySelectorAll("details.filters").forEach(function (details) { details.open = false; });
  }

  // Date presets of the advanced form ("7 ngày qua"…) fill the two date fields.
  document.querySelectorAll("[data-presets]").forEach(function (group) {
    group.hidden = false;
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-from]");
      if (!button) { return; }
      ["from", "to"].forEach(function (name) {
        var input = document.getElementById(name);
        input.value = button.getAttribute("data-" + name);
        input.dispatchEvent(new Event("change"));
      });
    });
  });

  document.querySelectorAll("input[data-suggest]").forEach(setUpCompletions);
  document.querySelectorAll("input[data-date]").forEach(setUpDatePicker);
})();
