(function (map, B) {
  /* The venue map's runtime: set up once per mounted map, then fed payloads.

     B (base): {tiles, attr, img} — the town's tile layer and Leaflet's image folder.
     Everything else arrives in payloads P through window.kcmVenueMap.update(P), so a
     page can keep one mounted map and send it only new data (streamlit-folium's
     dynamic feature group calls update on every rerun; the standalone export calls it
     once). update() compares P.v, the digest of everything but the start point and
     the selection: a payload with the same v only moves the start pin or the selection.

     Schema of P: the TypedDict mapping.render.contract.Payload (with Layer, Category,
     Labels and HoursRow), which documents every short key (c, la0, lo0, la, lo, h, f,
     b, bt, id, n, d, ad, ph, em, w, so, x, L, cats, oh, ct, boats, layers, start, sel,
     xt, dir, v). Change a key there and here together.

     Every text in P was escaped in Python by mapping.text.escape (HTML and JS-template
     safe), so it may be concatenated into HTML; numbers are numbers. Nothing here puts
     data into source code: P is a value.

     Events (on window.top, the Streamlit page, so the near list can follow the map):
       kcm:venue-open  {id}  the visitor opened a venue's card (marker click or Enter)
       kcm:venue-close {id}  the visitor closed it (close button, Escape, map click)
       kcm:start-here  {lat, lon}  the visitor asked to start from there ("Start here")
       kcm:marker-highlight {id}  the pointer or the focus is on that marker ("" = left)
       kcm:highlight   {id}  listened for: highlight that venue's marker ("" = none)
       kcm:close-card  {}    listened for: close the open card (Escape in the page)

     Test hook: window.kcmVenueMap, see the end of this file. */
  "use strict";
  var L = window.L;
  if (B.img) { L.Icon.Default.imagePath = B.img; }
  if (B.tiles) {
    L.tileLayer(B.tiles, { attribution: B.attr, maxZoom: 19 }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);

  var P = null, Lb = {}; // the payload drawn now, and its UI labels (escaped)

  var ENT = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#x27;": "'",
              "&#x60;": "`", "&#x24;": "$", "&#x5C;": "\\" };
  function plain(s) { // escaped text -> plain text, for DOM properties (title, aria-label)
    return String(s).replace(/&(?:amp|lt|gt|quot|#x27|#x60|#x24|#x5C);/g, function (m) {
      return ENT[m];
    });
  }
  function col(layer, key, i) { var c = layer[key]; return c ? c[i] : ""; }
  function fa(icon, cls) {
    return '<i class="fa-solid fa-' + icon + (cls ? " " + cls : "") + '" aria-hidden="true"></i>';
  }
  function swatch(cat) {
    return '<span class="kcm-swatch" style="--c:' + cat.c + ";--k:" + cat.k + '">' +
      fa(cat.i) + "</span>";
  }
  function fixed(v) { return v.toFixed(5); }
  var topWindow = null;
  try { topWindow = window.top; topWindow.addEventListener; } catch (e) { topWindow = null; }
  function emitDetail(name, detail) {
    if (!topWindow) { return; }
    try {
      topWindow.dispatchEvent(new topWindow.CustomEvent(name, { detail: detail }));
    } catch (e) { /* a page that does not listen is fine */ }
  }
  function emit(name, id) { emitDetail(name, { id: plain(id) }); }

  // ---------------------------------------------------------------- markers
  var icons = {};
  function iconFor(ci, flags) {
    var member = flags & 1, approx = (flags >> 1) & 3, key = ci + ":" + member + ":" + approx;
    if (!icons[key]) {
      var cat = P.cats[ci];
      icons[key] = L.divIcon({
        className: "venue-marker" + (member ? " is-member" : "") + (approx ? " is-approx" : ""),
        html: '<span class="vm-pin" style="--c:' + cat.c + ";--k:" + cat.k + '">' + fa(cat.i) +
          "</span>" + (member ? '<span class="vm-star">' + fa("star") + "</span>" : ""),
        iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -13]
      });
    }
    return icons[key];
  }

  var VenueMarker = L.Marker.extend({
    onAdd: function (m) {
      L.Marker.prototype.onAdd.call(this, m);
      var layer = this.options.layer, i = this.options.ri, name = plain(layer.n[i]);
      var el = this.getElement();
      el.setAttribute("data-venue-id", plain(layer.id[i]));
      el.setAttribute("title", name);
      el.setAttribute("aria-label", name);
      // Focus without scrolling: a focus scroll of the page between mousedown and
      // mouseup (map partly below the fold) would turn a marker click into a map click.
      L.DomEvent.on(el, "mousedown", function (e) {
        L.DomEvent.preventDefault(e);
        el.focus({ preventScroll: true });
      });
      if (this === openMarker) { L.DomUtil.addClass(this.getElement(), "is-selected"); }
      // the near list lights the entry of the marker under the pointer or the focus
      var id = layer.id[i];
      L.DomEvent.on(el, "mouseenter focus", function () { emit("kcm:marker-highlight", id); });
      L.DomEvent.on(el, "mouseleave blur", function () { emit("kcm:marker-highlight", ""); });
      return this;
    }
  });

  // a cluster is a focusable button too: it is named by its count and what it does
  var ClusterIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var el = L.DivIcon.prototype.createIcon.call(this, old);
      el.setAttribute("aria-label", this.options.label);
      return el;
    }
  });
  var loading = 0; // cluster.addLayers calls still adding markers in chunks
  var cluster = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 45,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: function (c) {
      var n = c.getChildCount(), size = n < 10 ? 34 : n < 100 ? 40 : n < 1000 ? 46 : 52;
      return new ClusterIcon({
        className: "marker-cluster venue-cluster", iconSize: [size, size],
        html: '<span aria-hidden="true">' + n + "</span>", label: n + " · " + plain(Lb.zoom_in)
      });
    },
    chunkProgress: function (processed, total) {
      if (processed === total) { loading = Math.max(0, loading - 1); } // one addLayers done
      showPending();
    }
  });
  cluster.addTo(map);

  var rebuilding = false; // layers being replaced: their onRemove and popupclose are ours
  var CategoryLayer = L.Layer.extend({
    initialize: function (markers, id) { this.markers = markers; this.categoryId = id; },
    onAdd: function () { loading += 1; cluster.addLayers(this.markers); },
    onRemove: function () { if (!rebuilding) { cluster.removeLayers(this.markers); } }
  });

  var atPoint = {}; // "lat:lon" in 1e-5 degrees -> the markers at that very point
  var byId = {}, overlays = [], hidden = {}; // hidden: category ids the visitor switched off
  var control = L.control.layers(null, null, { collapsed: true, position: "topright" });
  control.addTo(map);
  map.on("overlayremove", function (e) { if (!rebuilding && e.layer.categoryId) { hidden[e.layer.categoryId] = true; } });
  map.on("overlayadd", function (e) { if (!rebuilding && e.layer.categoryId) { delete hidden[e.layer.categoryId]; } });

  function drawLayers() {
    rebuilding = true;
    closeCard();
    overlays.forEach(function (o) { control.removeLayer(o); map.removeLayer(o); });
    cluster.clearLayers();
    loading = 0;
    rebuilding = false;
    icons = {};
    overlays = [];
    byId = {};
    atPoint = {};
    P.layers.forEach(function (layer) {
      var markers = new Array(layer.id.length), la0 = layer.la0, lo0 = layer.lo0;
      for (var i = 0; i < markers.length; i++) {
        var pk = (la0 + layer.la[i]) + ":" + (lo0 + layer.lo[i]);
        var m = new VenueMarker([(la0 + layer.la[i]) / 1e5, (lo0 + layer.lo[i]) / 1e5], {
          icon: iconFor(layer.c, layer.f[i]), layer: layer, ri: i, riseOnHover: true, pk: pk
        });
        (atPoint[pk] = atPoint[pk] || []).push(m);
        markers[i] = m;
        byId[layer.id[i]] = m;
      }
      var cat = P.cats[layer.c];
      var overlay = new CategoryLayer(markers, cat.id);
      control.addOverlay(overlay, '<span class="kcm-layer" data-category="' + cat.id + '">' +
        swatch(cat) + '<span class="kcm-layer-label">' + cat.l +
        '</span> <span class="kcm-count">' + markers.length + "</span></span>");
      overlays.push(overlay);
      if (!hidden[cat.id]) { overlay.addTo(map); }
    });
  }

  // ---------------------------------------------------------------- card
  // wheelchair codes of Layer.f: 0 unknown, then mapping.schema.WHEELCHAIR_VALUES in order
  var WHEEL = ["unknown", "yes", "limited", "no"];
  function hoursBlock(h) {
    // h = [today text, season summary, day state, state at the chosen time]
    // states: 0 closed, 1 open, 2 unknown. Unknown is never shown as closed.
    var today = h[0], season = h[1], day = h[2], at = h[3];
    if (day === 2 && at === 2) {
      return '<div class="vc-hours is-unknown">' + fa("circle-question") +
        '<span class="vc-hours-main"><b>' + Lb.hours_unknown + "</b>" +
        (season ? '<span class="vc-season">' + season + "</span>" : "") + "</span></div>";
    }
    var stateCls = at === 1 ? "is-open" : at === 0 ? "is-closed" : "is-unknown";
    var stateTxt = at === 1 ? Lb.open_at : at === 0 ? Lb.closed_at : Lb.hours_unknown;
    return '<div class="vc-hours ' + stateCls + '">' + fa("clock") +
      '<span class="vc-hours-main"><span class="vc-state">' + stateTxt + "</span>" +
      "<span><b>" + Lb.day + ":</b> " + today + "</span>" +
      (season ? '<span class="vc-season">' + season + "</span>" : "") + "</span></div>";
  }
  function row(icon, label, html) {
    return "<li>" + fa(icon) + '<span><span class="kcm-sr">' + label + ": </span>" + html +
      "</span></li>";
  }
  function link(href, text) {
    return '<a href="' + href + '" target="_blank" rel="noopener noreferrer">' + text + "</a>";
  }
  function shortUrl(u) {
    return u.replace(/^[a-z]+:\/\/(www\.)?/i, "").replace(/\/$/, "");
  }
  function directions(lat, lon, label, cls) {
    var from = P.start ? fixed(P.start[0]) + "," + fixed(P.start[1]) : "";
    return '<a class="vc-directions' + (cls ? " " + cls : "") + '" href="' + P.dir + from + ";" +
      fixed(lat) + "," + fixed(lon) + '" target="_blank" rel="noopener noreferrer">' +
      fa("person-walking") + label + "</a>";
  }
  function cardHtml(layer, i) {
    var cat = P.cats[layer.c], flags = layer.f[i];
    var lat = (layer.la0 + layer.la[i]) / 1e5, lon = (layer.lo0 + layer.lo[i]) / 1e5;
    var precision = (flags >> 1) & 3, wheel = (flags >> 3) & 3, visit = (flags >> 5) & 3;
    var boat = layer.bt ? P.boats[layer.bt[i]] : null;
    var h = P.oh[layer.h[i]];
    var out = ['<article class="venue-card" data-venue-id="' + layer.id[i] + '" style="--c:' +
      cat.c + ";--k:" + cat.k + '">'];
    out.push('<header class="vc-head">' + swatch(cat) + '<div><div class="vc-cat">' + cat.l +
      '</div><h3 class="vc-name">' + layer.n[i] + "</h3></div></header>");
    var badges = "";
    var status = layer.b ? P.ct[layer.b[i]] : "";
    if (status) { badges += '<span class="vc-badge vc-member">' + fa("star") + status + "</span>"; }
    if (precision === 1) { badges += '<span class="vc-badge vc-approx">' + fa("location-crosshairs") + Lb.approximate + "</span>"; }
    if (precision === 2) { badges += '<span class="vc-badge vc-approx vc-settlement">' + fa("location-crosshairs") + Lb.settlement_level + "</span>"; }
    // visit codes of Layer.f: 0 unknown, 1 yes, 2 by appointment, 3 no place to visit
    var visitText = visit === 2 ? Lb.visit_appointment : visit === 3 ? Lb.visit_no : "";
    if (visitText) { badges += '<span class="vc-badge vc-visit">' + fa("door-closed") + visitText + "</span>"; }
    if (badges) { out.push('<div class="vc-badges">' + badges + "</div>"); }
    var desc = col(layer, "d", i);
    if (desc) { out.push('<p class="vc-desc">' + desc + "</p>"); }
    out.push(hoursBlock(h));
    var rows = "", v = col(layer, "ad", i);
    if (boat) { rows += row("ferry", Lb.access, '<span class="vc-boat">' + boat[0] + "</span>"); }
    if (v) { rows += row("location-dot", Lb.address, v); }
    v = col(layer, "ph", i);
    if (v) {
      var tel = plain(v).replace(/[^0-9+]/g, "");
      rows += row("phone", Lb.phone, tel ? '<a href="tel:' + tel + '">' + v + "</a>" : v);
    }
    v = col(layer, "em", i);
    if (v) { rows += row("envelope", Lb.email, '<a href="mailto:' + v + '">' + v + "</a>"); }
    v = col(layer, "w", i);
    if (v) { rows += row("globe", Lb.website, link(v, shortUrl(v))); }
    v = col(layer, "so", i);
    if (v) { rows += row("share-nodes", Lb.social, v.split(" ").map(function (u) { return link(u, shortUrl(u)); }).join("<br>")); }
    rows += row("wheelchair", Lb.wheelchair, '<span class="vc-wheel is-' + WHEEL[wheel] + '">' +
      Lb["wheelchair_" + WHEEL[wheel]] + "</span>");
    out.push('<ul class="vc-rows">' + rows + "</ul>");
    var extra = layer.x && layer.x[i];
    if (extra && extra.length) {
      out.push('<section class="vc-extra">' + (P.xt ? "<h4>" + P.xt + "</h4>" : "") + "<ul>" +
        extra.map(function (line) { return "<li>" + line + "</li>"; }).join("") + "</ul></section>");
    }
    if (boat) {
      // to the boat's landmark; a boat whose landmark is unknown leaves from the venue's point
      out.push(directions(boat[1] === null ? lat : boat[1], boat[2] === null ? lon : boat[2],
        Lb.directions_boat, "is-boat"));
    } else if (precision === 2) {
      out.push(directions(lat, lon, Lb.directions_settlement, "is-settlement"));
    } else {
      out.push(directions(lat, lon, Lb.directions, ""));
    }
    out.push("</article>");
    return out.join("");
  }

  // ---------------------------------------------------------------- card panel
  /* The open card is a panel inside the map box, never a popup hanging off its marker,
     so it lies wholly inside the map wherever the marker is: on a narrow map (a phone)
     a bottom sheet over the lower part of the map (at most SHEET_SHARE of its height,
     scrolling inside, the upper part left free), on a wide map a panel at the left,
     right of the zoom buttons and above the scale and the legend, which folds while a
     card is open. The map pans, without animation, so the marker stays in view beside
     or above the card. Closing a card (its button, Escape, a click on the map) changes
     nothing but the card: the start point moves only by "Start here". */
  var SHEET_SHARE = 0.55, PANEL_WIDTH = 340;
  var legendFolded = false;
  var panel = L.DomUtil.create("section", "kcm-card", map.getContainer());
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.tabIndex = -1;
  var closeButton = L.DomUtil.create("button", "kcm-card-close", panel);
  closeButton.type = "button";
  closeButton.innerHTML = '<span aria-hidden="true">&times;</span>';
  var panelBody = L.DomUtil.create("div", "kcm-card-body", panel);
  L.DomEvent.disableClickPropagation(panel);
  L.DomEvent.disableScrollPropagation(panel);

  function cornerDepth(selector, fromBottom) {
    var box = map.getContainer().getBoundingClientRect(), depth = 0;
    map.getContainer().querySelectorAll(selector).forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.height === 0) { return; }
      depth = Math.max(depth, fromBottom ? box.bottom - r.top : r.bottom - box.top);
    });
    return depth;
  }
  function cornerWidth(selector) {
    var box = map.getContainer().getBoundingClientRect(), width = 0;
    map.getContainer().querySelectorAll(selector).forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width > 0) { width = Math.max(width, r.right - box.left); }
    });
    return width;
  }
  function legendDetails() { return legendBox ? legendBox.querySelector("details") : null; }
  function foldLegend() {
    var details = legendDetails();
    if (details && details.open) { details.open = false; legendFolded = true; }
  }
  function unfoldLegend() {
    var details = legendDetails();
    if (legendFolded && details) { details.open = true; }
    legendFolded = false;
  }
  /* Heights are shares of the map box (CSS percentages), so a map that is resized
     later (the page sizes its frame after the first draw) keeps the card inside; the
     offsets from the controls are measured again on every move and resize. */
  var ATTRIBUTION = 24; // px: at least the attribution line (22.4 px once laid out)
  function layoutPanel() {
    var size = map.getSize(), small = narrow(), s = panel.style;
    L.DomUtil[small ? "addClass" : "removeClass"](map.getContainer(), "kcm-narrow");
    if (small) { // the sheet: full width, above the attribution
      var attribution = map.attributionControl ? map.attributionControl.getContainer() : null;
      var bottom = Math.ceil(Math.max(attribution ? attribution.offsetHeight : 0, ATTRIBUTION,
        cornerDepth(".leaflet-bottom.leaflet-right .leaflet-control", true))) + 1;
      s.left = "0px"; s.right = "0px"; s.top = "auto"; s.width = "auto";
      s.bottom = bottom + "px";
      s.maxHeight = "calc(" + Math.round(SHEET_SHARE * 100) + "% - " + bottom + "px)";
    } else {
      var left = cornerWidth(".leaflet-top.leaflet-left .leaflet-control") + 10;
      var below = cornerDepth(".leaflet-bottom.leaflet-left .leaflet-control", true) + 10;
      s.left = left + "px"; s.right = "auto"; s.top = "10px"; s.bottom = "auto";
      s.width = Math.min(PANEL_WIDTH, size.x - left - 70) + "px";
      s.maxHeight = "calc(100% - " + (10 + below) + "px)";
    }
  }
  function reveal(m) { // pan the marker out from under the card
    var box = map.getContainer().getBoundingClientRect(), r = panel.getBoundingClientRect();
    var room = narrow()
      ? { paddingTopLeft: [30, 30], paddingBottomRight: [30, box.bottom - r.top + 30] }
      : { paddingTopLeft: [r.right - box.left + 30, 30], paddingBottomRight: [60, 30] };
    room.animate = false;
    map.panInside(m.getLatLng(), room);
  }

  var openMarker = null, opener = null, here = [];
  function markerId(m) { return m.options.layer.id[m.options.ri]; }
  function samePlace(m) { // the other venues at this very point, each one button away
    here = (atPoint[m.options.pk] || []).filter(function (o) {
      return o !== m && cluster.hasLayer(o);
    });
    if (!here.length) { return ""; }
    return '<section class="vc-here"><h4>' + Lb.same_place + "</h4><ul>" +
      here.map(function (o, j) {
        return '<li><button type="button" class="vc-here-venue" data-open="' + j + '">' +
          swatch(P.cats[o.options.layer.c]) + "<span>" + o.options.layer.n[o.options.ri] +
          "</span></button></li>";
      }).join("") + "</ul></section>";
  }
  function startButton(lat, lon) {
    return '<button type="button" class="vc-start" data-lat="' + fixed(lat) + '" data-lon="' +
      fixed(lon) + '">' + fa("person-walking") + Lb.start_here + "</button>";
  }
  function openCard(m, byVisitor) {
    if (openMarker !== m) {
      if (openMarker && openMarker.getElement()) {
        L.DomUtil.removeClass(openMarker.getElement(), "is-selected");
      }
      openMarker = m;
      var ll = m.getLatLng();
      panelBody.innerHTML = cardHtml(m.options.layer, m.options.ri) + samePlace(m) +
        startButton(ll.lat, ll.lng);
      panel.setAttribute("aria-label", plain(m.options.layer.n[m.options.ri]));
      closeButton.setAttribute("aria-label", plain(Lb.close));
      closeButton.title = plain(Lb.close);
      L.DomUtil.addClass(map.getContainer(), "kcm-card-open");
      foldLegend();
      layoutPanel();
      panel.hidden = false;
      panel.scrollTop = 0;
      if (m.getElement()) { L.DomUtil.addClass(m.getElement(), "is-selected"); }
      reveal(m);
    }
    if (byVisitor) {
      opener = m;
      emit("kcm:venue-open", markerId(m));
      panel.focus({ preventScroll: true });
    }
  }
  /* byVisitor: the visitor closed it (the page hears of it); restore: focus goes back
     to the marker that opened the card (Escape, the close button). */
  function closeCard(byVisitor, restore) {
    var m = openMarker;
    if (!m) { return; }
    var hadFocus = panel.contains(document.activeElement);
    openMarker = null;
    panel.hidden = true;
    panelBody.innerHTML = "";
    L.DomUtil.removeClass(map.getContainer(), "kcm-card-open");
    unfoldLegend();
    if (m.getElement()) { L.DomUtil.removeClass(m.getElement(), "is-selected"); }
    if (byVisitor) { emit("kcm:venue-close", markerId(m)); }
    var back = opener || m;
    opener = null;
    if ((restore || hadFocus) && back.getElement()) {
      back.getElement().focus({ preventScroll: true });
    }
  }
  function openVisitor(m) { // as a click on the marker would, out of its cluster first
    if (m) { openAndShow(m, true); }
  }
  /* Open a venue's card, then bring its marker out of its cluster and into view.
     The card is a panel of the map box and needs no marker on the map, so it opens at
     once and never waits on markercluster. zoomToShowLayer(m, callback) calls back only
     if, at a moveend or at the end of its own animation, the marker (or, to spiderfy,
     its innermost cluster) is on the map at that very moment; otherwise it waits for
     another move, which may never come once the map has stopped (issue 21: at a
     shorter phone map the map zoomed to crkva-sv-luke and its card, opened in that
     callback, never came). So the marker is revealed (panned clear of the card) when
     the callback comes, and also once the map and the clusters have been at rest for
     two frames in a row after the move zoomToShowLayer started: whichever first ends
     `opening` (what settled() waits on); a late callback only reveals again. */
  function openAndShow(m, byVisitor) {
    openCard(m, byVisitor);
    opening = m;
    var over = false, calm = 0;
    function shown() {
      over = true;
      if (opening === m) { opening = null; }
      if (openMarker === m) { reveal(m); }
    }
    cluster.zoomToShowLayer(m, shown);
    (function watch() { // now, then each frame (a queued zoom starts first in its frame)
      if (over) { return; }
      calm = atRest() ? calm + 1 : 0;
      if (calm >= 2) { shown(); } else { window.requestAnimationFrame(watch); }
    })();
  }
  function startHere(lat, lon) {
    map.closePopup();
    emitDetail("kcm:start-here", { lat: lat, lon: lon });
  }
  /* A click inside the card never reaches the map: the map would take it for a click on
     the bare map (the button that was clicked is gone once the card is redrawn, so
     Leaflet cannot see that it was inside the card) and close the card. */
  L.DomEvent.on(panel, "click", L.DomEvent.stopPropagation);
  L.DomEvent.on(closeButton, "click", function () { closeCard(true, true); });
  L.DomEvent.on(panelBody, "click", function (e) {
    var b = e.target.closest ? e.target.closest("button") : null;
    if (!b) { return; }
    if (b.hasAttribute("data-open")) { openVisitor(here[+b.getAttribute("data-open")]); }
    if (L.DomUtil.hasClass(b, "vc-start")) {
      startHere(+b.getAttribute("data-lat"), +b.getAttribute("data-lon"));
    }
  });
  L.DomEvent.on(document, "keydown", function (e) {
    if (e.key === "Escape" && openMarker) { closeCard(true, true); }
  });
  if (topWindow) { // Escape in the page (the near list) closes the card too
    topWindow.addEventListener("kcm:close-card", function () { closeCard(true, false); });
  }
  map.on("click", function () { if (openMarker) { closeCard(true, false); } });
  map.on("resize moveend", function () { if (openMarker) { layoutPanel(); } });
  // a long press (a right click on a computer) offers "Start here" at that point
  map.on("contextmenu", function (e) {
    var holder = L.DomUtil.create("div", "kcm-start-here");
    holder.innerHTML = startButton(e.latlng.lat, e.latlng.lng);
    L.DomEvent.on(holder, "click", function (ev) {
      L.DomEvent.stopPropagation(ev);
      var b = ev.target.closest ? ev.target.closest("button") : null;
      if (b) { startHere(+b.getAttribute("data-lat"), +b.getAttribute("data-lon")); }
    });
    L.popup({ className: "kcm-start-popup", autoPanPadding: [12, 12] })
      .setLatLng(e.latlng).setContent(holder).openOn(map);
  });
  map.on("popupopen", function (e) {
    var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", plain(Lb.close)); close.title = plain(Lb.close); }
  });
  // a marker click opens its card; markercluster forwards the marker's events
  cluster.on("click", function (e) { openCard(e.layer, true); });
  cluster.on("keypress", function (e) { // Enter on a focused marker
    if (e.originalEvent && e.originalEvent.keyCode === 13) { openCard(e.layer, true); }
  });

  // ---------------------------------------------------------------- highlight (near list)
  var lit = null;
  function highlight(id) {
    if (lit) { L.DomUtil.removeClass(lit, "is-highlighted"); lit = null; }
    var m = id ? byId[id] : null;
    if (!m || !cluster.hasLayer(m)) { return; }
    var shown = cluster.getVisibleParent(m); // the marker, or the cluster holding it
    var el = shown && shown.getElement ? shown.getElement() : null;
    if (el) { L.DomUtil.addClass(el, "is-highlighted"); lit = el; }
  }
  if (topWindow) {
    topWindow.addEventListener("kcm:highlight", function (e) {
      highlight(e.detail && e.detail.id ? String(e.detail.id) : "");
    });
  }

  // ---------------------------------------------------------------- start point
  var startMarker = null, startKey = "";
  function drawStart() {
    var key = P.start ? P.start.join("|") + "|" + Lb.start : "";
    if (key === startKey) { return; }
    startKey = key;
    if (startMarker) { map.removeLayer(startMarker); startMarker = null; }
    if (!P.start) { return; }
    startMarker = L.marker([P.start[0], P.start[1]], {
      // a pin whose tip marks the point, so the venues right there stay visible under it
      icon: L.divIcon({
        className: "start-marker", iconSize: [30, 30], iconAnchor: [15, 36],
        html: '<span class="sm-pin">' + fa("person-walking") + "</span>"
      }),
      zIndexOffset: 1000, keyboard: false
    }).bindTooltip('<span class="sm-label">' + Lb.start + ": " + P.start[2] + "</span>", {
      direction: "top", offset: [0, -36]
    }).addTo(map);
    // a start chosen elsewhere (a landmark) is brought into view; a map click already is
    if (!map.getBounds().pad(-0.05).contains(startMarker.getLatLng())) {
      map.panTo(startMarker.getLatLng(), { animate: false });
    }
  }

  // ---------------------------------------------------------------- controls' texts
  function narrow() { return map.getSize().x < 640; }
  var legendBox = null;
  var legend = L.control({ position: "bottomleft" });
  legend.onAdd = function () {
    legendBox = L.DomUtil.create("div", "map-legend leaflet-bar");
    L.DomEvent.disableClickPropagation(legendBox);
    L.DomEvent.disableScrollPropagation(legendBox);
    return legendBox;
  };
  legend.addTo(map);
  function drawLegend() {
    var details = legendDetails();
    var open = details ? details.open || legendFolded : !narrow();
    var items = P.cats.filter(function (c) { return c.n > 0; }).map(function (c) {
      return '<li data-category="' + c.id + '">' + swatch(c) + "<span>" + c.l + "</span></li>";
    });
    items.push('<li class="lg-sep"><span class="kcm-swatch lg-member">' + fa("star") +
      "</span><span>" + Lb.member_short + "</span></li>");
    items.push('<li><span class="kcm-swatch lg-approx"></span><span>' + Lb.approximate + "</span></li>");
    if (P.start) {
      items.push('<li><span class="kcm-swatch lg-start">' + fa("person-walking") + "</span><span>" +
        Lb.start + "</span></li>");
    }
    legendBox.innerHTML = "<details" + (open ? " open" : "") + "><summary>" + fa("list") +
      Lb.legend + "</summary><ul>" + items.join("") + "</ul></details>";
    legendFolded = false;
  }
  function labelControls() {
    var box = control.getContainer();
    box.setAttribute("aria-label", plain(Lb.categories));
    var toggle = box.querySelector(".leaflet-control-layers-toggle");
    if (toggle) { toggle.title = plain(Lb.categories); toggle.setAttribute("aria-label", plain(Lb.categories)); }
    var list = box.querySelector(".leaflet-control-layers-overlays");
    var head = box.querySelector(".kcm-layers-title");
    if (list && !head) {
      head = L.DomUtil.create("div", "kcm-layers-title");
      list.parentNode.insertBefore(head, list);
    }
    if (head) { head.innerHTML = Lb.categories; }
    if (map.zoomControl) {
      var zoom = map.zoomControl.getContainer();
      [[".leaflet-control-zoom-in", Lb.zoom_in], [".leaflet-control-zoom-out", Lb.zoom_out]]
        .forEach(function (pair) {
          var button = zoom.querySelector(pair[0]);
          if (button) { button.title = plain(pair[1]); button.setAttribute("aria-label", plain(pair[1])); }
        });
    }
  }

  // ---------------------------------------------------------------- motion
  /* No pan or zoom runs (Leaflet's public movestart/moveend) and no cluster animation
     (markercluster puts "leaflet-cluster-anim" on the map pane for its CSS transitions,
     a spiderfy's included). */
  var moving = false;
  map.on("movestart", function () { moving = true; });
  map.on("moveend", function () { moving = false; });
  function atRest() {
    return !moving && !L.DomUtil.hasClass(map.getPane("mapPane"), "leaflet-cluster-anim");
  }

  // ---------------------------------------------------------------- selected venue
  var pending = null, opening = null, selId = null, reopen = null;
  function showPending() {
    if (pending && !map.getContainer().clientHeight) {
      // the frame is not laid out yet (0 px high): zooming now would go nowhere
      window.requestAnimationFrame(showPending);
      return;
    }
    if (pending && cluster.hasLayer(pending)) {
      map.invalidateSize({ pan: false });
      var m = pending;
      pending = null;
      openAndShow(m, false);
    }
  }
  function openId() {
    return openMarker ? openMarker.options.layer.id[openMarker.options.ri] : null;
  }
  /* P.sel is the page's selection (the URL's venue). A new selection opens its card; a
     cleared one closes the card it had opened; the same selection again leaves the card
     the visitor has open alone. After new layers the card open before is opened again. */
  function select(sel) {
    var want = null;
    if (sel !== selId) {
      var before = selId;
      selId = sel;
      if (sel) { want = sel; } else if (before && openId() === before) { closeCard(); }
    }
    if (!want && reopen) { want = reopen; }
    reopen = null;
    pending = want && byId[want] ? byId[want] : null;
    // on the next frame: a payload may arrive before the frame has its final size
    if (pending) { window.requestAnimationFrame(showPending); }
  }

  // ---------------------------------------------------------------- update
  var updates = 0;
  function update(next) {
    var fresh = !P || next.v !== P.v;
    var wasOpen = openId();
    P = next;
    Lb = P.L;
    if (fresh) {
      drawLayers();
      drawLegend();
      labelControls();
      startKey = "";
      reopen = wasOpen;
    }
    drawStart();
    select(P.sel || null);
    updates += 1;
  }

  // ---------------------------------------------------------------- test hook
  /* window.kcmVenueMap: what pages and browser tests (tests/browser/harness.py) may ask
     of the map, so tests never read Leaflet's or markercluster's private fields nor
     click fixed pixels.

       update(P)                 draw a payload (see the top of this file)
       updates()                 how many payloads were drawn (a test waits for one more)
       version()                 P.v of the payload drawn now ("" before the first)
       map                       the Leaflet map
       settled()                 a Promise resolved once a payload is drawn, every shown
                                 layer's markers are added and drawn, and no pan, zoom or
                                 cluster animation is running (checked on two animation
                                 frames in a row)
       markerCount()             venues in the shown layers, in view or not
       drawnCount()              venues drawn in the current view: single markers plus
                                 the counts on cluster icons
       containerPoint(lat, lon)  {x, y}: the pixel of a position, from the map's top left
       showAll()                 fit all venues in view, no animation; returns settled()
       showVenue(id, zoom)       centre on a venue (its id as in P, escaped) at zoom, no
                                 animation; returns settled()
       venueIds()                every venue id on the map (escaped, as in P)
       selectVenue(id)           what a payload whose sel is id does (a link, the picker,
                                 the list); returns settled()
       openCard(id)              open a venue's card as the visitor would (then zooming
                                 its marker out of its cluster); returns settled()

     Motion is tracked with Leaflet's public movestart/moveend events, and a running
     cluster animation by the "leaflet-cluster-anim" class markercluster puts on the map
     pane for its CSS transitions. */
  function quiet() {
    return P !== null && loading === 0 && pending === null && opening === null && atRest();
  }
  function settled() {
    return new Promise(function (resolve) {
      var calm = 0;
      (function check() {
        calm = quiet() ? calm + 1 : 0;
        if (calm >= 2) { resolve(true); } else { window.requestAnimationFrame(check); }
      })();
    });
  }
  window.kcmVenueMap = {
    update: update,
    updates: function () { return updates; },
    version: function () { return P ? P.v : ""; },
    map: map,
    settled: settled,
    markerCount: function () { return cluster.getLayers().length; },
    drawnCount: function () {
      var box = map.getContainer(), n = box.querySelectorAll(".venue-marker").length;
      box.querySelectorAll(".venue-cluster span").forEach(function (s) { n += +s.textContent; });
      return n;
    },
    containerPoint: function (lat, lon) {
      var p = map.latLngToContainerPoint([lat, lon]);
      return { x: p.x, y: p.y };
    },
    showAll: function () {
      map.fitBounds(cluster.getBounds(), { animate: false });
      return settled();
    },
    showVenue: function (id, zoom) {
      map.setView(byId[id].getLatLng(), zoom, { animate: false });
      return settled();
    },
    venueIds: function () { return Object.keys(byId); },
    selectVenue: function (id) { select(id || null); return settled(); },
    openCard: function (id) {
      var m = byId[id];
      openVisitor(m);
      return settled();
    }
  };
})
