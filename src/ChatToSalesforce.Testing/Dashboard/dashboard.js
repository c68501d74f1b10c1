// The emulator dashboard: plain JavaScript, no dependencies. Every value from the org is untrusted and reaches the page only
// as text (textContent / attribute values), never as HTML.
"use strict";

(function () {
  const api = "/_emulator/api/";
  const view = document.getElementById("view");
  const status = document.getElementById("status");

  // ---------- DOM helpers ----------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "className") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function text(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function link(href, label, attributes) {
    return el("a", Object.assign({ href: href }, attributes || {}), label);
  }

  function recordHref(id) {
    return "#/record/" + encodeURIComponent(id);
  }

  function objectHref(name, search) {
    return "#/object/" + encodeURIComponent(name) + (search ? "?q=" + encodeURIComponent(search) : "");
  }

  function plural(n, one, many) {
    return n.toLocaleString("en-US") + " " + (n === 1 ? one : many);
  }

  function table(id, caption, headers, rows) {
    const head = el("tr", null, headers.map((h) => el("th", { scope: "col", className: h.className }, h.label)));
    return el("div", { className: "table-wrap" },
      el("table", { id: id },
        caption ? el("caption", null, caption) : null,
        el("thead", null, head),
        el("tbody", null, rows)));
  }

  function say(message, isError) {
    status.textContent = message || "";
    status.className = isError ? "error" : "";
  }

  function show(title, ...content) {
    const heading = el("h2", { tabindex: "-1", id: "view-title" }, title);
    view.replaceChildren(heading, ...content);
    document.title = title + " · Salesforce org emulator";
    return heading;
  }

  // ---------- the JSON API ----------

  async function get(path) {
    const response = await fetch(api + path, { headers: { Accept: "application/json" }, cache: "no-store" });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || "The emulator answered " + response.status + ".");
    return body;
  }

  async function post(path, body) {
    const response = await fetch(api + path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body || {}),
      cache: "no-store",
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || "The emulator answered " + response.status + ".");
    return answer;
  }

  // ---------- header ----------

  function renderSummary(summary) {
    document.getElementById("org").textContent =
      "Organization " + summary.organizationId + " at " + summary.instanceUrl + " · integration user " + summary.integrationUserId;
    const used = summary.apiCalls.used;
    const limit = summary.apiCalls.limit;
    const meter = document.getElementById("usage-meter");
    meter.max = Math.max(limit, 1);
    meter.low = Math.max(limit, 1) * 0.7;
    meter.high = Math.max(limit, 1) * 0.9;
    meter.value = Math.min(used, Math.max(limit, 1));
    document.getElementById("usage-text").textContent =
      used.toLocaleString("en-US") + " of " + limit.toLocaleString("en-US") + " (" + (limit > 0 ? ((used / limit) * 100).toFixed(1) : "100") + "%)";
    const faults = summary.faults.reduce((n, f) => n + f.remaining, 0);
    document.getElementById("settings-text").textContent =
      "· latency " + summary.latencyMilliseconds + " ms · " + faults + " fault use(s) pending" +
      (summary.failureRate ? " · random failures " + (summary.failureRate.probability * 100).toFixed(1) + "%" : "");
  }

  async function refreshSummary() {
    const summary = await get("summary");
    renderSummary(summary);
    return summary;
  }

  // ---------- views ----------

  async function objectsView() {
    const summary = await refreshSummary();
    const rows = summary.objects.map((o) =>
      el("tr", null,
        el("td", null, link(objectHref(o.name), o.labelPlural, { id: "object-" + o.name })),
        el("td", null, el("code", null, o.name), o.custom ? " (custom)" : ""),
        el("td", { className: "num" }, o.count.toLocaleString("en-US"))));
    const total = summary.objects.reduce((n, o) => n + o.count, 0);
    return show("Objects",
      table("objects", plural(total, "record", "records") + " in " + plural(summary.objects.length, "object", "objects"),
        [{ label: "Object" }, { label: "API name" }, { label: "Records", className: "num" }], rows));
  }

  async function objectView(name, search) {
    const list = await get("records?object=" + encodeURIComponent(name) + (search ? "&search=" + encodeURIComponent(search) : ""));
    refreshSummary().catch(() => {});
    const input = el("input", { type: "search", id: "search", name: "q", value: search || "", autocomplete: "off" });
    const form = el("form", { className: "inline", role: "search", id: "search-form", onsubmit: (event) => {
      event.preventDefault();
      location.hash = objectHref(name, input.value.trim());
    } },
      el("div", null, el("label", { for: "search" }, "Search " + list.labelPlural), input),
      el("button", { type: "submit", id: "search-button" }, "Search"),
      search ? link(objectHref(name), "Show all") : null);
    const rows = list.records.map((r) =>
      el("tr", null,
        el("td", null, link(recordHref(r.id), r.name, { className: "record-link" })),
        list.columns.slice(1).map((c) => el("td", { className: "value" }, text(r.values[c.name])))));
    const caption = (search ? list.matched + " of " + plural(list.total, "record", "records") + " match “" + search + "”" : plural(list.total, "record", "records")) +
      (list.records.length < list.matched ? " (newest " + list.records.length + " shown)" : "");
    const heading = show(list.labelPlural, form,
      list.records.length === 0
        ? el("p", { id: "no-records" }, search ? "No " + list.labelPlural + " match this search." : "No " + list.labelPlural + " yet.")
        : table("records", caption, list.columns.map((c) => ({ label: c.label })), rows));
    say(search ? caption + "." : "");
    return search ? heading : input;
  }

  async function recordView(id) {
    const record = await get("record?id=" + encodeURIComponent(id));
    refreshSummary().catch(() => {});
    const fieldRows = record.fields
      .filter((f) => f.value !== null && f.value !== undefined && f.value !== "")
      .map((f) =>
        el("tr", null,
          el("th", { scope: "row" }, f.label),
          el("td", null, el("code", null, f.name)),
          el("td", { className: "value" },
            f.reference ? link(recordHref(f.reference.id), f.reference.name + " (" + f.reference.object + ")") : text(f.value))));
    const empty = record.fields.filter((f) => f.value === null || f.value === undefined || f.value === "").map((f) => f.name);
    const related = record.related.map((group) =>
      el("section", { className: "panel related-group", "aria-labelledby": "rel-" + group.object + "-" + group.field },
        el("h3", { id: "rel-" + group.object + "-" + group.field }, group.label + " (" + group.fieldLabel + "): " + group.total),
        el("ul", { className: "related" },
          group.records.map((r) =>
            el("li", { className: "related-record" },
              link(recordHref(r.id), r.name),
              r.detail ? el("span", { className: "detail" }, r.detail) : null)),
          group.total > group.records.length ? el("li", null, "…and " + (group.total - group.records.length) + " more") : null)));
    return show(record.name,
      el("p", { className: "muted" }, record.label + " · ", el("code", null, record.id), " · ", link(objectHref(record.object), "all " + record.object + " records")),
      el("h3", null, "Related records"),
      related.length ? el("div", { id: "related" }, related) : el("p", { id: "related" }, "No records point to this one."),
      record.preview !== undefined && record.preview !== null
        ? el("section", { "aria-labelledby": "preview-title" }, el("h3", { id: "preview-title" }, "File content"), el("pre", { className: "preview", id: "preview" }, record.preview))
        : null,
      el("h3", null, "Fields"),
      table("fields", empty.length ? "Empty fields not shown: " + empty.join(", ") : null,
        [{ label: "Field" }, { label: "API name" }, { label: "Value" }], fieldRows));
  }

  async function requestsView() {
    const log = await get("requests?limit=300");
    refreshSummary().catch(() => {});
    const rows = log.requests.map((r) => {
      const headers = el("dl", { className: "headers" }, Object.entries(r.headers).map(([k, v]) => [el("dt", null, k), el("dd", null, v)]));
      const subrequests = r.subrequests.length
        ? el("ul", null, r.subrequests.map((s) => el("li", null, s.method + " " + s.url + " → " + s.status)))
        : null;
      return el("tr", { className: r.faultInjected ? "fault request-row" : "request-row" },
        el("td", null, el("time", { datetime: r.time }, r.time.replace("T", " ").replace("Z", ""))),
        el("td", null, r.method),
        el("td", { className: "path" }, r.path, el("details", null, el("summary", null, "Headers" + (r.subrequests.length ? " and subrequests" : "")), headers, subrequests)),
        el("td", { className: "num" }, r.status),
        el("td", null, r.apiCall ? "yes" : "no"),
        el("td", { className: "num" }, r.latencyMilliseconds.toFixed(1) + " ms"),
        el("td", { className: "fault-cell" }, r.faultInjected ? el("span", { className: "badge bad" }, "injected") : "no"),
        el("td", null, r.errorCode || ""));
    });
    const refresh = el("button", { type: "button", id: "refresh-requests", className: "secondary", onclick: () => route() }, "Refresh");
    return show("Request log",
      el("p", null, refresh, " ", el("span", { className: "muted" }, "Newest first. The Authorization header and secret form values are redacted.")),
      log.requests.length === 0
        ? el("p", { id: "no-requests" }, "No requests yet.")
        : table("requests", "Showing " + log.requests.length + " of " + log.total + " logged requests",
          [{ label: "Time (UTC)" }, { label: "Method" }, { label: "Path" }, { label: "Status", className: "num" }, { label: "API call" },
            { label: "Latency", className: "num" }, { label: "Injected fault" }, { label: "Error code" }], rows));
  }

  async function controlsView() {
    const summary = await refreshSummary();
    const latency = el("input", { type: "number", id: "latency", min: "0", max: "60000", step: "1", value: summary.latencyMilliseconds, required: true });
    const latencyForm = el("form", { className: "inline", id: "latency-form", onsubmit: (event) => act(event, "latency", { milliseconds: Number(latency.value) }, "Latency set to " + latency.value + " ms.") },
      el("div", null, el("label", { for: "latency" }, "Added latency per request (ms)"), latency),
      el("button", { type: "submit", id: "set-latency" }, "Set latency"));

    const statusSelect = el("select", { id: "fault-status" },
      [["503", "503 Service Unavailable"], ["500", "500 Server Error"], ["502", "502 Bad Gateway"], ["429", "429 Too Many Requests"],
        ["403", "403 Forbidden"], ["401", "401 Unauthorized"], ["400", "400 Bad Request"]].map(([v, l]) => el("option", { value: v }, l)));
    const code = el("input", { type: "text", id: "fault-code", value: "SERVER_UNAVAILABLE", required: true, pattern: "[A-Z0-9_]+", autocomplete: "off" });
    const method = el("select", { id: "fault-method" }, ["", "GET", "POST", "PATCH", "PUT", "DELETE"].map((m) => el("option", { value: m }, m || "Any method")));
    const path = el("input", { type: "text", id: "fault-path", placeholder: "e.g. /composite", autocomplete: "off" });
    const times = el("input", { type: "number", id: "fault-times", min: "1", max: "10000", value: "1", required: true });
    const faultForm = el("form", { className: "inline", id: "fault-form", onsubmit: (event) => act(event, "faults",
      { statusCode: Number(statusSelect.value), errorCode: code.value.trim(), method: method.value || null, pathContains: path.value.trim() || null, times: Number(times.value) },
      "Fault added: the next " + times.value + " matching request(s) answer " + statusSelect.value + " " + code.value.trim() + ".") },
      el("div", null, el("label", { for: "fault-status" }, "Status"), statusSelect),
      el("div", null, el("label", { for: "fault-code" }, "Error code"), code),
      el("div", null, el("label", { for: "fault-method" }, "Method"), method),
      el("div", null, el("label", { for: "fault-path" }, "Path contains"), path),
      el("div", null, el("label", { for: "fault-times" }, "Times"), times),
      el("button", { type: "submit", id: "add-fault" }, "Add fault"));

    const active = summary.faults.length
      ? table("faults", "Pending faults, checked in order", [{ label: "Method" }, { label: "Path contains" }, { label: "Answer" }, { label: "Uses left", className: "num" }],
        summary.faults.map((f) => el("tr", null, el("td", null, f.method || "any"), el("td", null, f.pathContains || "any path"),
          el("td", null, f.statusCode + " " + f.errorCode), el("td", { className: "num" }, f.remaining))))
      : el("p", { id: "no-faults" }, "No faults pending.");

    return show("Latency, faults and reset",
      el("section", { className: "panel", "aria-labelledby": "latency-title" }, el("h3", { id: "latency-title" }, "Latency"), latencyForm),
      el("section", { className: "panel", "aria-labelledby": "faults-title" },
        el("h3", { id: "faults-title" }, "Fault injection"),
        el("p", { className: "muted" }, "Matching requests answer with the status and a Salesforce error body instead of reaching the org."),
        faultForm, active,
        el("button", { type: "button", id: "clear-faults", className: "secondary", onclick: (event) => act(event, "faults/clear", {}, "Faults cleared.") }, "Clear faults")),
      el("section", { className: "panel", "aria-labelledby": "reset-title" },
        el("h3", { id: "reset-title" }, "Reset"),
        el("p", { className: "muted" }, "Clears the request log, the API usage counter, every fault and the latency. Records are kept; export them first if you need them."),
        el("button", { type: "button", id: "reset", className: "danger", onclick: (event) => act(event, "reset", {}, "Usage, log, faults and latency reset.") }, "Reset usage, log, faults and latency")));
  }

  async function act(event, path, body, message) {
    event.preventDefault();
    try {
      await post(path, body);
      await route();
      say(message);
    } catch (error) {
      say(error.message, true);
    }
  }

  // ---------- routing ----------

  async function route() {
    const hash = location.hash || "#/objects";
    const [pathPart, queryPart] = hash.slice(1).split("?");
    const parts = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
    const query = new URLSearchParams(queryPart || "");
    const section = parts[0] || "objects";
    for (const [id, name] of [["nav-objects", "objects"], ["nav-requests", "requests"], ["nav-controls", "controls"]]) {
      const active = section === name || (name === "objects" && (section === "object" || section === "record"));
      const navLink = document.getElementById(id);
      if (active) navLink.setAttribute("aria-current", "page"); else navLink.removeAttribute("aria-current");
    }

    say("");
    try {
      let focus;
      if (section === "object" && parts[1]) focus = await objectView(parts[1], query.get("q") || "");
      else if (section === "record" && parts[1]) focus = await recordView(parts[1]);
      else if (section === "requests") focus = await requestsView();
      else if (section === "controls") focus = await controlsView();
      else focus = await objectsView();
      if (focus && document.activeElement !== focus && routed) focus.focus();
    } catch (error) {
      show("Something went wrong");
      say(error.message, true);
    }
    routed = true;
  }

  let routed = false;
  window.addEventListener("hashchange", route);
  route();
})();
