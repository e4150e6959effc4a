// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // <form data-confirm="Are you sure?"> asks before submitting (no inline handlers: CSP).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Stop a double tap from sending the same form twice.
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    window.setTimeout(function () { form.dataset.submitted = ""; }, 4000);
  });
})();

// Live updates. A live page opens the stream on <body> (sse-connect, htmx's SSE extension) and
// its regions ([data-live-region]) re-fetch themselves on the stream's events
// (janitorial_crm/live_pages.py). Here: the indicator in the navigation, a redraw of every
// region when events may have been missed, and no redraw of a region while someone is using a
// form in it.
(function () {
  "use strict";
  var indicator = document.getElementById("live-indicator");
  var opened = false;

  if (indicator && document.querySelector("[sse-connect]")) {
    indicator.classList.remove("hidden");
  }

  // state: connecting | live | reconnecting | paused; the words come from the template.
  function show(state) {
    if (!indicator) {
      return;
    }
    var text = indicator.getAttribute("data-text-" + state);
    indicator.setAttribute("data-state", state);
    indicator.setAttribute("title", text);
    indicator.querySelector(".live-text").textContent = text;
  }

  // Every region re-fetches itself (their hx-trigger listens to live:refresh on <body>).
  function redrawAll() {
    document.body.dispatchEvent(new CustomEvent("live:refresh"));
  }

  // The extension hands over its EventSource when it opens. It opens a new one after a failed
  // reconnection: the control events are watched once per source.
  document.addEventListener("htmx:sseOpen", function (event) {
    var source = event.detail.source;
    if (!source.liveWatched) {
      source.liveWatched = true;
      source.addEventListener("paused", function () { show("paused"); });
      source.addEventListener("resumed", function () { show("live"); redrawAll(); });
      source.addEventListener("reset", redrawAll);
      // A new source starts without the last event id, so the stream cannot replay (or say
      // "reset"): whatever happened while it was down is redrawn.
      if (opened) {
        redrawAll();
      }
    }
    opened = true;
    show("live");
  });
  document.addEventListener("htmx:sseError", function () { show("reconnecting"); });

  // --- A region waits while someone is using a form in it ------------------------------------
  // Redrawing a region replaces its forms: a note being typed on "My day", the board's move
  // form. So a region is "busy" while one of its forms is being sent, holds the focus or has
  // typed data, or is an on-demand form (data-live-hold). Its redraw is then put aside (the
  // latest one only) and sent once the region is no longer busy: after a form is left or its
  // answer is swapped in.
  function changed(field) {
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field.type === "select-one") {
      var initial = 0;
      for (var i = 0; i < field.options.length; i++) {
        if (field.options[i].defaultSelected) {
          initial = i;
          break;
        }
      }
      return field.selectedIndex !== initial;
    }
    if (field.type === "select-multiple") {
      return Array.prototype.some.call(field.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    if (field.type === "hidden" || !("defaultValue" in field)) {
      return false;
    }
    return field.value !== field.defaultValue;
  }

  function busy(region) {
    if (region.querySelector(".htmx-request, [data-live-hold]")) {
      return true;
    }
    var active = document.activeElement;
    if (active && active !== region && region.contains(active) && active.form) {
      return true;
    }
    return Array.prototype.some.call(region.querySelectorAll("form"), function (form) {
      return Array.prototype.some.call(form.elements, changed);
    });
  }

  function sendWaiting(region, force) {
    if (region.liveWaiting && (force || !busy(region))) {
      var send = region.liveWaiting;
      region.liveWaiting = null;
      send(true); // true: past this check (htmx:confirm) this time
    }
  }

  function sendAllWaiting() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-live-region]"), function (region) {
      sendWaiting(region, false);
    });
  }

  document.addEventListener("htmx:confirm", function (event) {
    var region = event.detail.elt;
    if (region.hasAttribute("data-live-region") && busy(region)) {
      event.preventDefault();
      region.liveWaiting = event.detail.issueRequest;
    }
  });
  // After focusout the focus has not moved yet: look once it has.
  document.addEventListener("focusout", function () { window.setTimeout(sendAllWaiting, 0); });
  document.addEventListener("htmx:afterSettle", sendAllWaiting);
  // A form in a waiting region was refused (the visit was taken away meanwhile): what it was
  // about has changed, so the region is redrawn even if the form still holds typed data.
  document.addEventListener("htmx:responseError", function (event) {
    var form = event.target;
    var region = form.closest && form.closest("[data-live-region]");
    if (region && region !== form) {
      sendWaiting(region, true);
    }
  });

  // A region takes only an answer that carries it: a login page (the session ended) or
  // another page would otherwise blank it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var region = event.detail.requestConfig.elt;
    if (region.hasAttribute && region.hasAttribute("data-live-region") &&
        event.detail.serverResponse.indexOf('id="' + region.id + '"') === -1) {
      event.detail.shouldSwap = false;
    }
  });
})();

// Pickers. A picker (janitorial_crm.widgets.AutocompletePicker) is a text box without
// JavaScript: the server reads a code, username or name. Here it becomes a <select> holding the
// chosen row only, made a searchable combobox by Tom Select (vendored, loaded on the first page
// that has a picker), whose options come from the picker's endpoint (?q=, at most 20).
(function () {
  "use strict";
  var library = null;
  // The text box's own attributes that do not belong on the <select>.
  var SKIP = /^(type|value|autocomplete|spellcheck|placeholder|data-picker-.*)$/;

  function load(input) {
    if (window.TomSelect) {
      return Promise.resolve();
    }
    if (!library) {
      library = new Promise(function (resolve, reject) {
        input.getAttribute("data-picker-css").split(" ").forEach(function (href) {
          var css = document.createElement("link");
          css.rel = "stylesheet";
          css.href = href;
          document.head.appendChild(css);
        });
        var script = document.createElement("script");
        script.src = input.getAttribute("data-picker-js");
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return library;
  }

  function enhance(input) {
    var url = input.getAttribute("data-picker-url");
    var empty = input.getAttribute("data-picker-empty") || "";
    var select = document.createElement("select");
    Array.prototype.forEach.call(input.attributes, function (attribute) {
      if (!SKIP.test(attribute.name)) {
        select.setAttribute(attribute.name, attribute.value);
      }
    });
    select.appendChild(new Option(empty, ""));
    if (input.hasAttribute("data-picker-value")) {
      var label = input.getAttribute("data-picker-label");
      select.appendChild(new Option(label, input.getAttribute("data-picker-value"), true, true));
    }
    if (select.classList.contains("form-control")) {
      select.classList.replace("form-control", "form-select");
    }
    input.replaceWith(select);
    new window.TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      maxOptions: 50,  // the endpoint sends 20; earlier answers stay, filtered here
      allowEmptyOption: true,
      placeholder: empty,
      preload: "focus",
      loadThrottle: 200,
      shouldLoad: function () { return true; },
      load: function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
    });
    // hx-* attributes moved with the other attributes (the inspection form's site).
    if (window.htmx && select.hasAttribute("hx-get")) {
      window.htmx.process(select);
    }
  }

  function enhanceAll(root) {
    var inputs = (root || document).querySelectorAll("input[data-picker-url]");
    if (!inputs.length) {
      return;
    }
    load(inputs[0]).then(function () {
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.isConnected) {
          enhance(input);
        }
      });
    }).catch(function () { /* the text boxes still work */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  // Content swapped in by htmx (a live region, a form section) may bring new pickers.
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
