// The nearest-first list beside the map (mapping/components/near_list.py documents it).
// `data` is a NearListData (near_list.py); each entry a NearEntry (mapping/explore.py).
// Every text from data is set with textContent, never parsed as HTML.
//
// Contract with the map (both sides use the top page's window):
//   list -> map  "kcm:highlight"    {detail: {id}} on hover / focus, {id: ""} on leave / blur
//   map -> list  "kcm:venue-open"   {detail: {id}} a card opened by clicking its marker
//                "kcm:venue-close"  {detail: {id}} the card closed
//                "kcm:start-here"   {detail: {lat, lon}} "Start here" on a card or a long press
//                "kcm:marker-highlight" {detail: {id}} pointer / focus on a marker: light its entry
//   list -> map  "kcm:close-card"   Escape in the list closes the open card
// To Python: trigger "pick" (venue id, "" for none), trigger "more" (entries shown) and
// trigger "start" ("lat,lon" to start from).
//
// Nothing here scrolls the page away from the map: the list scrolls inside its own box,
// and a pick brings the map (where its card opens) into view when it is not.

const STORE = new WeakMap(); // parentElement -> this mount's state (the module is called per run)

function topWindow() {
  try {
    return window.top && window.top.document ? window.top : window;
  } catch (_) {
    return window; // embedded in a page of another origin
  }
}

function ensureStylesheets(urls) {
  for (const href of urls || []) {
    if (!document.head.querySelector(`link[data-kcm-style="${CSS.escape(href)}"]`)) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.dataset.kcmStyle = href;
      document.head.appendChild(link);
    }
  }
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function highlight(state, id) {
  state.top.dispatchEvent(new CustomEvent("kcm:highlight", {detail: {id}}));
}

// The selection as the list shows it: aria-current on one entry.
function markCurrent(state, id, scroll) {
  for (const button of state.list.querySelectorAll("button[data-venue-id]")) {
    const current = button.dataset.venueId === id;
    if (current) {
      button.setAttribute("aria-current", "true");
      if (scroll) scrollInList(state.list, button);
    } else {
      button.removeAttribute("aria-current");
    }
  }
}

// Scroll the list's own box to show button; the page itself never moves.
function scrollInList(list, button) {
  const box = list.getBoundingClientRect();
  const r = button.getBoundingClientRect();
  if (r.top < box.top) list.scrollTop -= box.top - r.top;
  else if (r.bottom > box.bottom) list.scrollTop += r.bottom - box.bottom;
}

// The map's frame, brought wholly into view (a pick opens its card there).
function showMap() {
  const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  if (!frame) return;
  const r = frame.getBoundingClientRect();
  const high = window.innerHeight || document.documentElement.clientHeight;
  if (r.top < 0 || r.bottom > high) frame.scrollIntoView({block: r.height > high ? "end" : "nearest"});
}

// Report a selection to Python unless it is the one Python already has or was just sent.
function report(state, id) {
  const selected = state.data.selected || "";
  if (id === selected || id === state.sent) return;
  state.sent = id;
  state.setTriggerValue("pick", id);
}

function entryButton(state, entry) {
  const button = el("button", "kcm-near-entry");
  button.type = "button";
  button.dataset.venueId = entry.id;
  button.dataset.state = entry.state;
  button.dataset.reach = entry.reach;
  const badge = el("span", "kcm-near-badge");
  badge.setAttribute("aria-hidden", "true");
  if (entry.colour) button.style.setProperty("--kcm-near-colour", entry.colour);
  if (entry.icon) badge.appendChild(el("i", `fa-solid fa-${entry.icon}`));
  const text = el("span", "kcm-near-text");
  text.appendChild(el("span", "kcm-near-name", entry.name));
  const meta = el("span", "kcm-near-meta");
  meta.appendChild(el("span", "kcm-near-category", entry.category));
  meta.appendChild(el("span", "kcm-near-distance", entry.distance));
  const hours = entry.hours ? `${entry.state_text} · ${entry.hours}` : entry.state_text;
  meta.appendChild(el("span", `kcm-near-state kcm-near-${entry.state}`, hours));
  if (entry.note) meta.appendChild(el("span", "kcm-near-note", entry.note));
  text.appendChild(meta);
  button.append(badge, text);
  button.addEventListener("click", () => {
    markCurrent(state, entry.id, false);
    report(state, entry.id);
    showMap();
  });
  button.addEventListener("mouseenter", () => highlight(state, entry.id));
  button.addEventListener("mouseleave", () => highlight(state, ""));
  button.addEventListener("focus", () => highlight(state, entry.id));
  button.addEventListener("blur", () => highlight(state, ""));
  return button;
}

function build(parentElement, setTriggerValue) {
  const root = el("div", "kcm-near");
  const list = el("ol", "kcm-near-list");
  const footer = el("div", "kcm-near-footer");
  const count = el("p", "kcm-near-count");
  count.setAttribute("role", "status");
  const more = el("button", "kcm-near-more");
  more.type = "button";
  footer.append(count, more);
  root.append(list, footer);
  parentElement.appendChild(root);
  const state = {root, list, count, more, setTriggerValue, data: null, drawn: "", sent: null,
                 focusIndex: null, top: topWindow()};
  more.addEventListener("click", () => {
    const shown = state.data.entries.length;
    state.focusIndex = shown; // the first new entry gets the focus once it arrives
    state.setTriggerValue("more", shown);
  });
  state.onOpen = (event) => {
    const id = String((event.detail && event.detail.id) || "");
    if (!id) return;
    markCurrent(state, id, true);
    report(state, id);
  };
  state.onClose = () => {
    markCurrent(state, "", false);
    report(state, "");
  };
  state.onStart = (event) => {
    const d = event.detail || {};
    if (Number.isFinite(d.lat) && Number.isFinite(d.lon)) {
      state.setTriggerValue("start", `${d.lat.toFixed(5)},${d.lon.toFixed(5)}`);
    }
  };
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.data && state.data.selected) {
      state.top.dispatchEvent(new CustomEvent("kcm:close-card", {detail: {}}));
    }
  });
  state.top.addEventListener("kcm:venue-open", state.onOpen);
  state.top.addEventListener("kcm:venue-close", state.onClose);
  state.onMarker = (event) => {
    const id = String((event.detail && event.detail.id) || "");
    for (const button of state.list.querySelectorAll("button[data-venue-id]")) {
      button.classList.toggle("kcm-near-lit", button.dataset.venueId === id);
    }
  };
  state.top.addEventListener("kcm:start-here", state.onStart);
  state.top.addEventListener("kcm:marker-highlight", state.onMarker);
  return state;
}

function draw(state) {
  const data = state.data;
  const key = JSON.stringify(data.entries);
  if (key !== state.drawn) {
    const active = document.activeElement;
    const focusedId = active && state.list.contains(active) ? active.dataset.venueId : null;
    const items = data.entries.map((entry) => {
      const item = el("li", "kcm-near-item");
      item.appendChild(entryButton(state, entry));
      return item;
    });
    state.list.replaceChildren(...items);
    state.drawn = key;
    const buttons = state.list.querySelectorAll("button[data-venue-id]");
    if (state.focusIndex !== null && buttons.length > state.focusIndex) {
      buttons[state.focusIndex].focus();
      state.focusIndex = null;
    } else if (focusedId) {
      const again = [...buttons].find((b) => b.dataset.venueId === focusedId);
      if (again) again.focus();
    }
  }
  state.list.setAttribute("aria-label", data.label);
  state.count.textContent = data.shown;
  state.more.textContent = data.more;
  state.more.hidden = data.entries.length >= data.total;
  state.count.hidden = data.total === 0;
  if (state.more.hidden && state.focusIndex !== null) state.focusIndex = null;
  markCurrent(state, data.selected || "", false);
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  ensureStylesheets(data.fontawesome);
  let state = STORE.get(parentElement);
  if (!state) {
    state = build(parentElement, setTriggerValue);
    STORE.set(parentElement, state);
  }
  state.setTriggerValue = setTriggerValue;
  if (!state.data || state.data.selected !== data.selected) state.sent = null;
  const selectionChanged = !state.data || state.data.selected !== data.selected;
  state.data = data;
  draw(state);
  if (selectionChanged && data.selected) markCurrent(state, data.selected, true);
  return () => {
    state.top.removeEventListener("kcm:venue-open", state.onOpen);
    state.top.removeEventListener("kcm:venue-close", state.onClose);
    state.top.removeEventListener("kcm:start-here", state.onStart);
    state.top.removeEventListener("kcm:marker-highlight", state.onMarker);
    STORE.delete(parentElement);
    state.root.remove();
  };
}
