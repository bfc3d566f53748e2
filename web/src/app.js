/* rasd web app: map, timeline, filters, table, event panel with evidence, review, exports.
 *
 * Reads only the public JSON API (docs/api.md). Every piece of text that comes from the
 * store (article text, names, notes) is untrusted: it is put in the page with text nodes
 * (el() below), never as HTML, so nothing in an article can run or restyle the page.
 */
"use strict";

(function () {
  const TYPES = {
    "Battles": { color: "#d62728", subs: ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"] },
    "Explosions/Remote violence": { color: "#ff7f0e", subs: ["Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Chemical weapon"] },
    "Violence against civilians": { color: "#9467bd", subs: ["Attack", "Abduction/forced disappearance", "Sexual violence"] },
    "Protests": { color: "#1f77b4", subs: ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"] },
    "Riots": { color: "#17becf", subs: ["Violent demonstration", "Mob violence"] },
    "Strategic developments": { color: "#7f7f7f", subs: ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory", "Other"] },
  };
  const FIELD_LABELS = {
    trigger: "trigger", actor1: "actor 1", actor2: "actor 2", assoc_actor_1: "with actor 1",
    assoc_actor_2: "with actor 2", location: "place", event_date: "date", fatalities: "dead",
    injured: "injured", arrested: "arrested", abducted: "abducted",
  };
  const EDITABLE = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "admin1",
    "country", "latitude", "longitude", "fatalities", "fatalities_known", "notes"];
  const NUMERIC = new Set(["latitude", "longitude", "fatalities"]);
  const PAGE = 200;

  const state = { config: {}, events: [], total: 0, offset: 0, selected: null, map: null, markers: null, byId: new Map(), fitted: false };

  // ------------------------------------------------------------------ helpers

  /** An element with attributes and children; strings become text nodes (never HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    return node;
  }

  function typeColor(type) {
    return (TYPES[type] || { color: "#444" }).color;
  }

  function shortActor(name) {
    return (name || "").replace(/\s*\(\d{4}-(\d{4})?\)$/, "");
  }

  function toll(e) {
    if (!e.fatalities_known) return e.fatalities ? e.fatalities + "?" : "?";
    return String(e.fatalities);
  }

  function toast(message, isError) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.className = "toast" + (isError ? " error" : "");
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  async function api(path, options) {
    const response = await fetch(path, options);
    let body = null;
    try { body = await response.json(); } catch (_) { body = null; }
    if (!response.ok) {
      throw new Error((body && body.error) || `${response.status} ${response.statusText}`);
    }
    return body;
  }

  // ------------------------------------------------------------------ filters

  function filterParams() {
    const form = document.getElementById("filters");
    const params = new URLSearchParams();
    for (const name of ["since", "until", "country", "admin1", "type", "actor", "q", "review"]) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    if (form.elements.inview.checked && state.map) {
      const b = state.map.getBounds();
      const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v));
      params.set("bbox", [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)]
        .map((v) => v.toFixed(4)).join(","));
    }
    return params;
  }

  function fillTypeSelect() {
    const select = document.getElementById("type-select");
    for (const [type, info] of Object.entries(TYPES)) {
      const group = el("optgroup", { label: type });
      group.appendChild(el("option", { value: type }, `${type} (all)`));
      for (const sub of info.subs) group.appendChild(el("option", { value: sub }, sub));
      select.appendChild(group);
    }
    const legend = document.getElementById("legend");
    for (const [type, info] of Object.entries(TYPES)) {
      legend.appendChild(el("span", { class: "legend-item" }, el("i", { style: `background:${info.color}` }), type));
    }
  }

  function updateExportLinks(params) {
    for (const link of document.querySelectorAll(".exports a")) {
      const p = new URLSearchParams(params);
      p.set("format", link.dataset.format);
      link.href = "/api/export?" + p.toString();
    }
  }

  function fillDatalists() {
    const countries = new Set(), admin1s = new Set();
    for (const e of state.events) {
      if (e.country) countries.add(e.country);
      if (e.admin1) admin1s.add(e.admin1);
    }
    const fill = (id, values) => {
      const list = document.getElementById(id);
      list.replaceChildren(...[...values].sort().map((v) => el("option", { value: v })));
    };
    fill("countries", countries);
    fill("admin1s", admin1s);
  }

  // ------------------------------------------------------------------ map

  /** Natural Earth country outlines (world-atlas TopoJSON), drawn on a canvas: the offline basemap. */
  async function loadBasemap(map) {
    try {
      const topo = await (await fetch("/static/vendor/countries-50m.json")).json();
      const countries = topojson.feature(topo, topo.objects.countries);
      const online = Boolean(state.config.tile_url);
      L.geoJSON(countries, {
        pane: "basemap", interactive: false, renderer: L.canvas({ pane: "basemap" }),
        style: { color: "#8a8a8a", weight: 0.8, fillColor: online ? "transparent" : "#f1efe9", fillOpacity: online ? 0 : 1 },
      }).addTo(map);
      map.attributionControl.addAttribution("Natural Earth (world-atlas)");
      document.body.dataset.basemap = "true";
    } catch (err) {
      toast("Offline basemap missing: " + err.message, true);
    }
  }

  function initMap() {
    const map = L.map("map", { zoomControl: true, preferCanvas: false, worldCopyJump: true }).setView([34.8, 39.0], 6);
    state.map = map;
    map.createPane("basemap").style.zIndex = 200;
    if (state.config.tile_url) {
      L.tileLayer(state.config.tile_url, { maxZoom: 18, attribution: "map tiles: see the tile provider" }).addTo(map);
    }
    loadBasemap(map); // in the background: the events need not wait for the outlines
    state.markers = L.featureGroup().addTo(map);
    map.on("moveend", () => {
      if (document.getElementById("filters").elements.inview.checked) refresh();
    });
  }

  function drawMarkers(collection) {
    state.markers.clearLayers();
    for (const feature of collection.features) {
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const radius = 5 + Math.min(14, Math.sqrt(p.fatalities || 0) * 2);
      const marker = L.circleMarker([lat, lon], {
        radius, color: "#222", weight: 1, fillColor: typeColor(p.event_type), fillOpacity: 0.85,
        className: `rasd-marker review-${p.review}`,
      });
      // A node, not a string: Leaflet would read a string as HTML, and these names are untrusted.
      marker.bindTooltip(el("span", {}, `${p.event_date || "?"} · ${p.sub_event_type} · ${p.location || ""} · dead ${toll(p)}`),
        { direction: "top" });
      marker.on("click", () => openEvent(p.event_id));
      marker.addTo(state.markers);
      const path = marker.getElement();
      if (path) path.setAttribute("data-event-id", p.event_id);
    }
    // Frame the events once, on the first load; later the analyst's own view is kept.
    if (!state.fitted && collection.features.length) {
      state.map.fitBounds(state.markers.getBounds().pad(0.3), { maxZoom: 9 });
      state.fitted = true;
    }
  }

  /** The map and timeline change size when the panel opens or closes: Leaflet must be told
   * (keeping its centre), and the timeline is drawn again at its new width. */
  function resized() {
    if (state.map) state.map.invalidateSize({ pan: false });
    drawTimeline();
  }

  // ------------------------------------------------------------------ timeline

  function drawTimeline() {
    const box = document.getElementById("timeline");
    const dated = state.events.filter((e) => e.event_date);
    box.replaceChildren();
    document.getElementById("timeline-range").textContent = "";
    if (!dated.length) {
      box.appendChild(el("p", { class: "empty" }, "No dated events."));
      return;
    }
    const days = new Map();
    for (const e of dated) {
      const day = days.get(e.event_date) || {};
      day[e.event_type] = (day[e.event_type] || 0) + 1;
      days.set(e.event_date, day);
    }
    const first = new Date(dated[0].event_date + "T00:00:00Z");
    const last = new Date(dated[dated.length - 1].event_date + "T00:00:00Z");
    const span = Math.round((last - first) / 86400000) + 1;
    const width = Math.max(box.clientWidth || 600, 200), height = 90, pad = 36;
    const barW = Math.max(1, (width - 2 * pad) / span);
    const max = Math.max(...[...days.values()].map((d) => Object.values(d).reduce((a, b) => a + b, 0)));
    const chart = svg("svg", { width, height: height + 18, class: "timeline-svg" });
    for (const [iso, counts] of days) {
      const index = Math.round((new Date(iso + "T00:00:00Z") - first) / 86400000);
      let y = height;
      for (const type of Object.keys(TYPES)) {
        const n = counts[type] || 0;
        if (!n) continue;
        const h = (n / max) * (height - 8);
        y -= h;
        const rect = svg("rect", { x: pad + index * barW, y, width: Math.max(1, barW - 1), height: h, fill: typeColor(type), class: "bar", "data-day": iso });
        const title = svg("title", {});
        title.textContent = `${iso}: ${n} × ${type}`;
        rect.appendChild(title);
        rect.addEventListener("click", () => {
          const form = document.getElementById("filters");
          form.elements.since.value = iso;
          form.elements.until.value = iso;
          refresh();
        });
        chart.appendChild(rect);
      }
    }
    const axis = (x, text, anchor) => {
      const t = svg("text", { x, y: height + 14, "text-anchor": anchor, class: "axis" });
      t.textContent = text;
      chart.appendChild(t);
    };
    axis(pad, dated[0].event_date, "start");
    if (span > 1) axis(width - pad, dated[dated.length - 1].event_date, "end");
    box.appendChild(chart);
    document.getElementById("timeline-range").textContent = `(${dated.length} dated, max ${max} a day; click a day to filter)`;
  }

  // ------------------------------------------------------------------ table

  function tableRow(e) {
    const actors = shortActor(e.actor1) + (e.actor2 ? " → " + shortActor(e.actor2) : "");
    const place = (e.location || "?") + (e.admin1 && e.admin1 !== e.location ? ` (${e.admin1})` : "");
    return el("tr", { dataset: { eventId: e.event_id }, tabindex: 0, class: e.event_id === state.selected ? "selected" : null,
      onclick: () => openEvent(e.event_id),
      onkeydown: (ev) => { if (ev.key === "Enter") openEvent(e.event_id); } },
      el("td", {}, e.event_date || "?"),
      el("td", {}, el("i", { class: "dot", style: `background:${typeColor(e.event_type)}` }), e.sub_event_type),
      el("td", {}, actors),
      el("td", {}, place),
      el("td", { class: "num" }, toll(e)),
      el("td", { class: "num" }, String(e.reports || 1)),
      el("td", {}, el("span", { class: `badge ${e.review}` }, e.review)));
  }

  function drawTable(append) {
    const body = document.querySelector("#events-table tbody");
    if (!append) body.replaceChildren();
    const rows = append ? state.events.slice(append) : state.events;
    for (const e of rows) body.appendChild(tableRow(e));
    if (!state.events.length) body.appendChild(el("tr", {}, el("td", { colspan: 7, class: "empty" }, "No events match.")));
    document.getElementById("more").hidden = state.events.length >= state.total;
    document.getElementById("counts").textContent = `${state.total} event${state.total === 1 ? "" : "s"}`;
  }

  // ------------------------------------------------------------------ loading

  async function refresh() {
    const params = filterParams();
    updateExportLinks(params);
    const listParams = new URLSearchParams(params);
    listParams.set("limit", String(PAGE));
    try {
      const [page, collection] = await Promise.all([
        api("/api/events?" + listParams.toString()),
        api("/api/events.geojson?" + params.toString()),
      ]);
      state.events = page.events;
      state.total = page.total;
      state.offset = page.events.length;
      state.byId = new Map(page.events.map((e) => [e.event_id, e]));
      drawMarkers(collection);
      drawTable(0);
      drawTimeline();
      fillDatalists();
      document.body.dataset.loaded = "true";
    } catch (err) {
      toast(err.message, true);
    }
  }

  async function more() {
    const params = filterParams();
    params.set("limit", String(PAGE));
    params.set("offset", String(state.offset));
    try {
      const page = await api("/api/events?" + params.toString());
      const before = state.events.length;
      state.events = state.events.concat(page.events);
      state.offset += page.events.length;
      drawTable(before);
    } catch (err) {
      toast(err.message, true);
    }
  }

  // ------------------------------------------------------------------ event panel

  /** The article text with the evidence spans of one report marked, built from text nodes. */
  function highlightedArticle(text, spans) {
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const container = el("div", { class: "article", dir: "rtl", lang: "ar" });
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i], end = points[i + 1];
      const piece = text.slice(start, end);
      const covering = spans.filter((s) => s.start <= start && s.end >= end && s.start < s.end);
      if (!covering.length) {
        container.appendChild(document.createTextNode(piece));
        continue;
      }
      const fields = [...new Set(covering.map((s) => s.field))];
      container.appendChild(el("mark", {
        class: "ev " + fields.map((f) => "ev-" + f.replace(/[^a-z0-9_]/gi, "")).join(" "),
        title: fields.map((f) => FIELD_LABELS[f] || f).join(", "),
        dataset: { fields: fields.join(" ") },
      }, piece));
    }
    return container;
  }

  function fieldsTable(e, edits) {
    const rows = [
      ["date", e.event_date + (e.time_precision > 1 ? ` (precision ${e.time_precision})` : ""), "event_date"],
      ["type", `${e.event_type} / ${e.sub_event_type}`, "sub_event_type"],
      ["actor 1", [e.actor1, ...(e.assoc_actor_1 || [])].filter(Boolean).join("; ") || "—", "actor1"],
      ["actor 2", [e.actor2, ...(e.assoc_actor_2 || [])].filter(Boolean).join("; ") || "—", "actor2"],
      ["place", [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(", ") + (e.geo_precision ? ` (precision ${e.geo_precision})` : ""), "location"],
      ["fatalities", toll(e) + (e.injured ? `, injured ${e.injured}` : ""), "fatalities"],
      ["sources", e.source || (e.sources || []).join("; ") || "—", "source"],
      ["confidence", String(e.confidence), "confidence"],
    ];
    return el("table", { class: "fields" }, rows.map(([label, value, key]) =>
      el("tr", { class: edits && key in edits ? "edited" : null }, el("th", {}, label), el("td", {}, value))));
  }

  function reviewControls(detail) {
    const e = detail.event;
    const review = detail.review;
    const box = el("div", { class: "review" });
    box.appendChild(el("p", {}, "Review: ", el("span", { class: `badge ${review.state}`, id: "review-state" }, review.state),
      review.orphaned ? " (no reports left)" : ""));
    const act = async (action, extra) => {
      const reviewer = document.getElementById("reviewer").value.trim();
      if (!reviewer) {
        toast("Type your name in the Reviewer box first.", true);
        document.getElementById("reviewer").focus();
        return;
      }
      localStorage.setItem("rasd.reviewer", reviewer);
      try {
        const updated = await api(`/api/events/${encodeURIComponent(e.event_id)}/review`, {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify(Object.assign({ action, reviewer }, extra || {})),
        });
        toast(`Event ${{ confirm: "confirmed", edit: "edited", reject: "rejected", reopen: "reopened" }[action]}.`);
        renderPanel(updated);
        refresh();
      } catch (err) {
        toast(err.message, true);
      }
    };
    const buttons = el("div", { class: "row" },
      el("button", { type: "button", id: "review-confirm", onclick: () => act("confirm") }, "Confirm"),
      review.state === "rejected"
        ? el("button", { type: "button", id: "review-reopen", class: "secondary", onclick: () => act("reopen") }, "Reopen")
        : el("button", { type: "button", id: "review-reject", class: "danger", onclick: () => act("reject") }, "Reject"),
      el("button", { type: "button", id: "review-edit", class: "secondary", onclick: () => { form.hidden = !form.hidden; } }, "Edit…"));
    box.appendChild(buttons);
    const form = el("form", { class: "edit", hidden: true, id: "edit-form" });
    for (const name of EDITABLE) {
      const value = e[name];
      const input = name === "notes"
        ? el("textarea", { name, rows: 3 }, value || "")
        : name === "fatalities_known"
          ? el("select", { name }, el("option", { value: "true", selected: value ? true : null }, "yes"), el("option", { value: "false", selected: value ? null : true }, "no"))
          : el("input", { name, type: name === "event_date" ? "date" : NUMERIC.has(name) ? "number" : "text", step: NUMERIC.has(name) ? "any" : null, value: value === null || value === undefined ? "" : String(value) });
      form.appendChild(el("label", { class: review.edits && name in review.edits ? "edited" : null }, name, input));
    }
    form.appendChild(el("label", {}, "note", el("input", { name: "_note", type: "text", placeholder: "why (optional)" })));
    form.appendChild(el("button", { type: "submit", id: "edit-save" }, "Save edits"));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const fields = {};
      for (const name of EDITABLE) {
        let value = form.elements[name].value;
        const before = e[name];
        if (name === "fatalities_known") value = value === "true";
        else if (NUMERIC.has(name)) value = value === "" ? null : Number(value);
        else if (value === "" ) value = null;
        if (JSON.stringify(value) !== JSON.stringify(before === undefined ? null : before)) fields[name] = value;
      }
      if (!Object.keys(fields).length) { toast("Nothing changed."); return; }
      act("edit", { fields, note: form.elements._note.value || null });
    });
    box.appendChild(form);
    if (review.history.length) {
      box.appendChild(el("h4", {}, "Audit trail"));
      box.appendChild(el("ol", { class: "history" }, review.history.map((h) => el("li", {},
        `${h.at} · ${h.action} by ${h.reviewer}`,
        Object.keys(h.changes).length ? " · " + Object.entries(h.changes).map(([k, v]) => `${k}: ${JSON.stringify(v.from)} → ${JSON.stringify(v.to)}`).join("; ") : "",
        h.note ? ` · “${h.note}”` : ""))));
    }
    return box;
  }

  function mergeExplanation(detail) {
    if (detail.reports.length < 2) return null;
    const list = el("ul", { class: "merge" });
    for (const m of detail.merge) {
      if (m.decision === "founded") {
        list.appendChild(el("li", {}, `${m.report_id}: founded the event`));
        continue;
      }
      const checks = (m.matched || []).flatMap((p) => p.checks.map((c) => `${c.name}: ${c.detail}`));
      if (m.decision === "inherited") checks.push(...(m.checks || []).map((c) => `${c.name}: ${c.detail}`));
      list.appendChild(el("li", {}, `${m.report_id}: ${m.decision}`, el("ul", {}, [...new Set(checks)].map((c) => el("li", {}, c)))));
    }
    return el("details", { class: "why" }, el("summary", {}, `Why ${detail.reports.length} reports are one event (${detail.merge[0] ? detail.merge[0].rules : ""})`), list);
  }

  async function showReport(detail, report, holder, tabs) {
    for (const tab of tabs.children) tab.classList.toggle("active", tab.dataset.reportId === report.event_id);
    holder.replaceChildren(el("p", { class: "empty" }, "Loading the article…"));
    try {
      const article = await api(`/api/articles/${encodeURIComponent(report.article_id)}`);
      const spans = article.spans.filter((s) => s.report_id === report.event_id);
      const meta = article.article;
      holder.replaceChildren(
        el("div", { class: "article-meta" },
          [meta.source, meta.published, meta.title].filter(Boolean).join(" · ") || meta.id,
          meta.url ? el("a", { href: meta.url, target: "_blank", rel: "noopener noreferrer" }, " link") : null),
        el("div", { class: "legend-fields" }, [...new Set(spans.map((s) => s.field))].map((f) =>
          el("mark", { class: "ev ev-" + f }, FIELD_LABELS[f] || f))),
        highlightedArticle(meta.text, spans));
      // Long articles: bring the first piece of evidence into view inside the article box.
      const box = holder.querySelector(".article"), first = holder.querySelector(".article mark.ev");
      if (box && first) box.scrollTop = Math.max(0, first.offsetTop - box.clientHeight / 4);
    } catch (err) {
      holder.replaceChildren(el("p", { class: "error" }, err.message));
    }
  }

  function renderPanel(detail) {
    const e = detail.event;
    state.selected = e.event_id;
    const panel = document.getElementById("panel");
    if (panel.hidden) { panel.hidden = false; resized(); }
    panel.dataset.eventId = e.event_id;
    document.getElementById("panel-title").textContent = `${e.event_date || "?"} · ${e.sub_event_type} · ${e.location || "?"}`;
    const spread = detail.fatalities;
    const tabs = el("div", { class: "tabs", role: "tablist" });
    const holder = el("div", { class: "article-holder" });
    for (const report of detail.reports) {
      tabs.appendChild(el("button", { type: "button", role: "tab", dataset: { reportId: report.event_id },
        onclick: () => showReport(detail, report, holder, tabs) },
        `${report.source || report.article_id} · dead ${toll(report.record)}`));
    }
    const body = document.getElementById("panel-body");
    body.replaceChildren(
      el("div", { class: "panel-grid" },
        el("div", { class: "english", lang: "en" },
          el("p", { class: "notes" }, e.notes),
          spread && spread.disputed ? el("p", { class: "spread" }, `Reported fatalities ${spread.low}–${spread.high}; coded ${e.fatalities}.`) : null,
          fieldsTable(e, detail.review.edits),
          reviewControls(detail),
          mergeExplanation(detail)),
        el("div", { class: "arabic" },
          el("h3", {}, `${detail.reports.length} report${detail.reports.length === 1 ? "" : "s"}`),
          tabs, holder)));
    for (const row of document.querySelectorAll("#events-table tbody tr")) {
      row.classList.toggle("selected", row.dataset.eventId === e.event_id);
    }
    for (const path of document.querySelectorAll("path.rasd-marker")) {
      path.classList.toggle("selected", path.dataset.eventId === e.event_id);
    }
    const lead = detail.reports.find((r) => r.article_id === e.article_id) || detail.reports[0];
    if (lead) showReport(detail, lead, holder, tabs);
    if (location.hash !== "#event=" + e.event_id) history.replaceState(null, "", "#event=" + encodeURIComponent(e.event_id));
  }

  async function openEvent(id) {
    try {
      const detail = await api(`/api/events/${encodeURIComponent(id)}`);
      renderPanel(detail);
      const e = detail.event;
      if (e.latitude !== null && e.longitude !== null && state.map) {
        const where = L.latLng(e.latitude, e.longitude);
        if (!state.map.getBounds().contains(where)) state.map.panTo(where); // keep the analyst's view when it can
      }
    } catch (err) {
      toast(err.message, true);
    }
  }

  // ------------------------------------------------------------------ start

  async function start() {
    fillTypeSelect();
    const reviewer = document.getElementById("reviewer");
    reviewer.value = localStorage.getItem("rasd.reviewer") || "";
    try { state.config = await api("/api/config"); } catch (_) { state.config = {}; }
    initMap();
    const form = document.getElementById("filters");
    form.addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
    document.getElementById("clear-filters").addEventListener("click", () => { form.reset(); refresh(); });
    document.getElementById("more").addEventListener("click", more);
    let pending = null;
    window.addEventListener("resize", () => { clearTimeout(pending); pending = setTimeout(resized, 150); });
    document.getElementById("panel-close").addEventListener("click", () => {
      document.getElementById("panel").hidden = true;
      state.selected = null;
      resized();
      history.replaceState(null, "", location.pathname + location.search);
    });
    await refresh();
    const match = /^#event=(.+)$/.exec(location.hash);
    if (match) openEvent(decodeURIComponent(match[1]));
  }

  document.addEventListener("DOMContentLoaded", start);
})();
