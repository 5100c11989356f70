// The dashboard page: one EventSource on /events; each message is the whole snapshot, rendered
// with DOM methods (textContent only: nothing from the cluster is ever parsed as HTML).
"use strict";
(function () {
  const byId = (id) => document.getElementById(id);
  let previous = new Map();

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.appendChild(c));
    return node;
  }

  function field(list, name, label, value) {
    list.appendChild(el("dt", { text: label }));
    list.appendChild(el("dd", { text: value, "data-field": name }));
  }

  function health(h) {
    if (!h) return "no health endpoint";
    return h.status_code === 0 ? `unreachable: ${h.answer}` : `${h.status_code} ${h.answer}`.trim();
  }

  function card(m) {
    const headingId = `module-${m.name}`;
    const item = el("li", { class: "module", "data-module": m.name, "data-state": m.state, "aria-labelledby": headingId });
    const head = el("div", { class: "head" }, [
      el("h3", { id: headingId, text: m.name }),
      el("span", { class: `state ${m.state}`, "data-field": "state", text: m.state }),
    ]);
    item.appendChild(head);
    const list = el("dl");
    field(list, "message", "Status", m.message);
    field(list, "wave", "Wave", m.wave > 0 ? String(m.wave) : "unknown");
    field(list, "layer", "Layer", m.layer);
    field(list, "namespace", "Namespace", m.namespace);
    field(list, "replicas", "Replicas", `${m.ready_replicas}/${m.desired_replicas} ready`);
    field(list, "health", "Health", health(m.health));
    field(list, "warnings-count", "Warnings", m.warnings.length === 0 ? "none" : String(m.warnings.length));
    item.appendChild(list);
    if (m.warnings.length > 0) {
      const warnings = el("ul", { class: "warnings", "aria-label": `Warning events of ${m.name}` });
      m.warnings.forEach((w) => warnings.appendChild(el("li", { text: `${w.reason} on ${w.object} (${w.count}×, ${w.last_seen}): ${w.message}` })));
      item.appendChild(warnings);
    }
    return item;
  }

  function render(s) {
    document.title = `${s.title} – ${s.stack}`;
    byId("title").textContent = s.title;
    byId("subtitle").textContent = `Stack ${s.stack}, environment ${s.environment}`;
    const r = s.revision;
    byId("revision").textContent = r
      ? `Revision ${r.number} (${r.description}) by ${r.user} at ${r.time}: ${r.summary}.`
      : "Nothing applied yet.";
    const problem = byId("problem");
    problem.hidden = !s.problem;
    problem.textContent = s.problem || "";
    const ready = s.modules.filter((m) => m.state === "ready").length;
    byId("counts").textContent = `${ready} of ${s.modules.length} modules ready.`;
    const list = byId("modules");
    list.replaceChildren(...s.modules.map(card));
    const changes = [];
    s.modules.forEach((m) => {
      const before = previous.get(m.name);
      if (before && before !== m.state) changes.push(`${m.name} is now ${m.state}.`);
    });
    previous = new Map(s.modules.map((m) => [m.name, m.state]));
    if (changes.length > 0) byId("changes").textContent = changes.join(" ");
    document.body.setAttribute("data-updated", String(Date.now()));
  }

  const source = new EventSource("/events");
  source.onopen = () => { byId("connection").textContent = "Live: changes appear as they happen."; };
  source.onerror = () => { byId("connection").textContent = "Connection lost; reconnecting…"; };
  source.onmessage = (e) => render(JSON.parse(e.data));
})();
