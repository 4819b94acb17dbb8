(function (map, P) {
  /* Venue layers for one map, drawn from the payload P that mapping.render embeds.

     Schema of P: the TypedDict mapping.render.payload.Payload (with Layer, Category,
     Labels and HoursRow), which documents every short key (c, la0, lo0, la, lo, h, f,
     id, n, d, ad, ph, em, w, so, x, L, cats, oh, layers, start, sel, xt, tiles, attr,
     img, dir). Change a key there and here together.

     Every text in P was escaped in Python by mapping.text.escape (HTML and JS-template
     safe), so it may be concatenated into HTML; numbers are numbers. Nothing here puts
     data into source code: P is a value.

     Test hook: window.kcmVenueMap, see the end of this file. */
  "use strict";
  var L = window.L;
  var Lb = P.L; // UI labels, escaped
  if (P.img) { L.Icon.Default.imagePath = P.img; }
  if (P.tiles) {
    L.tileLayer(P.tiles, { attribution: P.attr, maxZoom: 19 }).addTo(map);
  }

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
      var o = this.options, layer = P.layers[o.li], name = plain(layer.n[o.ri]);
      this._icon.setAttribute("data-venue-id", plain(layer.id[o.ri]));
      this._icon.setAttribute("title", name);
      this._icon.setAttribute("aria-label", name);
      return this;
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
      return L.divIcon({
        className: "marker-cluster venue-cluster", iconSize: [size, size],
        html: "<span>" + n + "</span>"
      });
    },
    chunkProgress: function (processed, total) {
      if (processed === total) { loading = Math.max(0, loading - 1); } // one addLayers done
      showPending();
    }
  });
  cluster.addTo(map);

  var CategoryLayer = L.Layer.extend({
    initialize: function (markers) { this.markers = markers; },
    onAdd: function () { loading += 1; cluster.addLayers(this.markers); },
    onRemove: function () { cluster.removeLayers(this.markers); }
  });

  var byId = {}, overlays = {};
  P.layers.forEach(function (layer, li) {
    var markers = new Array(layer.id.length), la0 = layer.la0, lo0 = layer.lo0;
    for (var i = 0; i < markers.length; i++) {
      var m = new VenueMarker([(la0 + layer.la[i]) / 1e5, (lo0 + layer.lo[i]) / 1e5], {
        icon: iconFor(layer.c, layer.f[i]), li: li, ri: i, riseOnHover: true
      });
      markers[i] = m;
      byId[layer.id[i]] = m;
    }
    var cat = P.cats[layer.c];
    var overlay = new CategoryLayer(markers);
    overlays['<span class="kcm-layer" data-category="' + cat.id + '">' + swatch(cat) +
      '<span class="kcm-layer-label">' + cat.l + '</span> <span class="kcm-count">' +
      markers.length + "</span></span>"] = overlay;
    overlay.addTo(map);
  });

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
  function cardHtml(li, i) {
    var layer = P.layers[li], cat = P.cats[layer.c], flags = layer.f[i];
    var lat = (layer.la0 + layer.la[i]) / 1e5, lon = (layer.lo0 + layer.lo[i]) / 1e5;
    var precision = (flags >> 1) & 3, wheel = (flags >> 3) & 3;
    var h = P.oh[layer.h[i]];
    var out = ['<article class="venue-card" data-venue-id="' + layer.id[i] + '" style="--c:' +
      cat.c + ";--k:" + cat.k + '">'];
    out.push('<header class="vc-head">' + swatch(cat) + '<div><div class="vc-cat">' + cat.l +
      '</div><h3 class="vc-name">' + layer.n[i] + "</h3></div></header>");
    var badges = "";
    var cluster = layer.b ? P.ct[layer.b[i]] : "";
    if (cluster) { badges += '<span class="vc-badge vc-member">' + fa("star") + cluster + "</span>"; }
    if (precision === 1) { badges += '<span class="vc-badge vc-approx">' + fa("location-crosshairs") + Lb.approximate + "</span>"; }
    if (precision === 2) { badges += '<span class="vc-badge vc-approx vc-settlement">' + fa("location-crosshairs") + Lb.settlement_level + "</span>"; }
    if (badges) { out.push('<div class="vc-badges">' + badges + "</div>"); }
    var desc = col(layer, "d", i);
    if (desc) { out.push('<p class="vc-desc">' + desc + "</p>"); }
    out.push(hoursBlock(h));
    var rows = "", v = col(layer, "ad", i);
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
    var from = P.start ? fixed(P.start[0]) + "," + fixed(P.start[1]) : "";
    out.push('<a class="vc-directions" href="' + P.dir + from + ";" + fixed(lat) + "," + fixed(lon) +
      '" target="_blank" rel="noopener noreferrer">' + fa("person-walking") + Lb.directions + "</a>");
    out.push("</article>");
    return out.join("");
  }

  function openCard(m) {
    if (!m._kcmBound) {
      m._kcmBound = true;
      m.bindPopup(cardHtml(m.options.li, m.options.ri), {
        className: "venue-popup", maxWidth: 320, minWidth: 200,
        // long cards scroll inside the popup instead of running off a short map
        maxHeight: Math.max(200, map.getSize().y - 90),
        autoPanPaddingTopLeft: [12, 56], autoPanPaddingBottomRight: [12, 12]
      });
      m.openPopup();
    }
  }
  cluster.on("click", function (e) { openCard(e.layer); });
  cluster.on("keypress", function (e) { // Enter on a focused marker, as Leaflet popups do
    if (e.originalEvent && e.originalEvent.keyCode === 13) { openCard(e.layer); }
  });

  // ---------------------------------------------------------------- start point
  if (P.start) {
    L.marker([P.start[0], P.start[1]], {
      // a pin whose tip marks the point, so the venues right there stay visible under it
      icon: L.divIcon({
        className: "start-marker", iconSize: [30, 30], iconAnchor: [15, 36],
        html: '<span class="sm-pin">' + fa("person-walking") + "</span>"
      }),
      zIndexOffset: 1000, keyboard: false
    }).bindTooltip('<span class="sm-label">' + Lb.start + ": " + P.start[2] + "</span>", {
      direction: "top", offset: [0, -36]
    }).addTo(map);
  }

  // ---------------------------------------------------------------- controls
  var narrow = window.innerWidth < 640;
  var control = L.control.layers(null, overlays, { collapsed: true, position: "topright" });
  control.addTo(map);
  var box = control.getContainer(), list = box.querySelector(".leaflet-control-layers-overlays");
  box.setAttribute("aria-label", plain(Lb.categories));
  if (list) {
    var head = L.DomUtil.create("div", "kcm-layers-title");
    head.innerHTML = Lb.categories;
    list.parentNode.insertBefore(head, list);
  }

  var legend = L.control({ position: "bottomleft" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "map-legend leaflet-bar");
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
    div.innerHTML = "<details" + (narrow ? "" : " open") + "><summary>" + fa("list") + Lb.legend +
      "</summary><ul>" + items.join("") + "</ul></details>";
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo(map);

  // ---------------------------------------------------------------- selected venue
  var pending = P.sel && byId[P.sel] ? byId[P.sel] : null;
  function showPending() {
    if (pending && cluster.hasLayer(pending)) {
      var m = pending;
      pending = null;
      cluster.zoomToShowLayer(m, function () { openCard(m); });
    }
  }
  showPending();

  // ---------------------------------------------------------------- test hook
  /* window.kcmVenueMap: what browser tests (tests/browser/harness.py) may ask of the map,
     so they never read Leaflet's or markercluster's private fields nor click fixed pixels.

       map                       the Leaflet map
       settled()                 a Promise resolved once every shown layer's markers are
                                 added and drawn, and no pan, zoom or cluster animation is
                                 running (checked on two animation frames in a row)
       markerCount()             venues in the shown layers, in view or not
       drawnCount()              venues drawn in the current view: single markers plus
                                 the counts on cluster icons
       containerPoint(lat, lon)  {x, y}: the pixel of a position, from the map's top left
       showAll()                 fit all venues in view, no animation; returns settled()
       showVenue(id, zoom)       centre on a venue (its id as in P, escaped) at zoom, no
                                 animation; returns settled()

     Motion is tracked with Leaflet's public movestart/moveend events, and a running
     cluster animation by the "leaflet-cluster-anim" class markercluster puts on the map
     pane for its CSS transitions. */
  var moving = false;
  map.on("movestart", function () { moving = true; });
  map.on("moveend", function () { moving = false; });
  function quiet() {
    return loading === 0 && !moving &&
      !L.DomUtil.hasClass(map.getPane("mapPane"), "leaflet-cluster-anim");
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
    }
  };
})
