// The nearest-first list beside the map (mapping/components/near_list.py documents it).
// `data` is a NearListData (near_list.py); each entry a NearEntry (mapping/explore.py).
// Every text from data is set with textContent, never parsed as HTML.
//
// Contract with the map (both sides use the top page's window):
//   list -> map  "kcm:highlight"    {detail: {id}} on hover / focus, {id: ""} on leave / blur
//   map -> list  "kcm:venue-open"   {detail: {id}} a card opened by clicking its marker
//                "kcm:venue-close"  {detail: {id}} the card closed
// To Python: trigger "pick" (venue id, "" for none) and trigger "more" (entries shown).

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
      if (scroll) button.scrollIntoView({block: "nearest"});
    } else {
      button.removeAttribute("aria-current");
    }
  }
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
  state.top.addEventListener("kcm:venue-open", state.onOpen);
  state.top.addEventListener("kcm:venue-close", state.onClose);
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
    STORE.delete(parentElement);
    state.root.remove();
  };
}
