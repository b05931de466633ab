/* erdgen diagrams: pan and zoom in the diagram's frame.
   A diagram is drawn at its natural size and never enlarged by the page; one wider than
   the text column shrinks down to a readable scale (CSS min-width) and then scrolls in its
   frame. Here: buttons to zoom out, in and back to 1:1; Ctrl/⌘ + wheel zooms at the
   pointer; dragging with the mouse pans (a click on a table still follows its link);
   two fingers pinch to zoom, one finger scrolls the frame as usual. */
(function () {
  "use strict";
  var LABELS = {
    de: { out: "Verkleinern", in: "Vergrößern", reset: "Natürliche Größe" },
    en: { out: "Zoom out", in: "Zoom in", reset: "Natural size" },
  };
  var MIN = 0.2;
  var MAX = 4;

  function labels() {
    var lang = (document.documentElement.lang || "en").slice(0, 2);
    return LABELS[lang] || LABELS.en;
  }

  function setUp(frame) {
    var svg = frame.querySelector("svg.erdgen-svg");
    if (!svg || frame.getAttribute("data-erdgen-zoom")) return;
    frame.setAttribute("data-erdgen-zoom", "1");
    var natural = parseFloat(svg.getAttribute("width"));
    if (!(natural > 0)) return;
    var pageStyle = svg.getAttribute("style") || ""; // the readable minimum width

    function currentScale() {
      var shown = svg.getBoundingClientRect().width;
      return shown / (natural * 4 / 3); // pt -> CSS px
    }

    function zoomTo(next, clientX, clientY) {
      next = Math.min(MAX, Math.max(MIN, next));
      var box = frame.getBoundingClientRect();
      var x = (clientX === undefined ? box.left + box.width / 2 : clientX) - box.left;
      var y = (clientY === undefined ? box.top + box.height / 2 : clientY) - box.top;
      var before = currentScale();
      var pointX = (frame.scrollLeft + x) / before;
      var pointY = (frame.scrollTop + y) / before;
      svg.style.width = (natural * next).toFixed(2) + "pt";
      svg.style.minWidth = "0";
      svg.style.maxWidth = "none";
      frame.classList.add("erdgen-zoomed");
      frame.scrollLeft = pointX * next - x;
      frame.scrollTop = pointY * next - y;
    }

    function reset() {
      svg.setAttribute("style", pageStyle);
      frame.classList.remove("erdgen-zoomed");
    }

    var text = labels();
    var bar = document.createElement("div");
    bar.className = "erdgen-zoom";
    [["out", "\u2212", function () { zoomTo(currentScale() / 1.25); }],
     ["in", "+", function () { zoomTo(currentScale() * 1.25); }],
     ["reset", "1:1", reset]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[1];
      button.title = text[spec[0]];
      button.setAttribute("aria-label", text[spec[0]]);
      button.addEventListener("click", spec[2]);
      bar.appendChild(button);
    });
    frame.parentNode.insertBefore(bar, frame);

    // A table's neighbourhood larger than the frame: start with the table itself in view.
    var focus = svg.querySelector(".erd-focus");
    if (focus && frame.scrollHeight > frame.clientHeight) {
      frame.scrollTop += focus.getBoundingClientRect().top - frame.getBoundingClientRect().top - 16;
    }
    if (focus && frame.scrollWidth > frame.clientWidth) startAt(frame, focus);

    frame.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      zoomTo(currentScale() * (event.deltaY < 0 ? 1.1 : 1 / 1.1), event.clientX, event.clientY);
    }, { passive: false });

    // Mouse: drag to pan; a drag does not count as a click on a link.
    var drag = null;
    var dragged = false;
    frame.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "mouse" || event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, left: frame.scrollLeft, top: frame.scrollTop };
      dragged = false;
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) dragged = true;
      if (dragged) {
        frame.scrollLeft = drag.left - dx;
        frame.scrollTop = drag.top - dy;
        frame.classList.add("erdgen-panning");
      }
    });
    window.addEventListener("pointerup", function () {
      drag = null;
      frame.classList.remove("erdgen-panning");
    });
    frame.addEventListener("click", function (event) {
      if (dragged) {
        event.preventDefault();
        event.stopPropagation();
        dragged = false;
      }
    }, true);

    // Touch: two fingers pinch to zoom.
    var pinch = null;
    function distance(touches) {
      var dx = touches[0].clientX - touches[1].clientX;
      var dy = touches[0].clientY - touches[1].clientY;
      return Math.sqrt(dx * dx + dy * dy);
    }
    frame.addEventListener("touchstart", function (event) {
      if (event.touches.length === 2) {
        pinch = { distance: distance(event.touches), scale: currentScale() };
      }
    }, { passive: true });
    frame.addEventListener("touchmove", function (event) {
      if (!pinch || event.touches.length !== 2) return;
      event.preventDefault();
      var x = (event.touches[0].clientX + event.touches[1].clientX) / 2;
      var y = (event.touches[0].clientY + event.touches[1].clientY) / 2;
      zoomTo(pinch.scale * distance(event.touches) / pinch.distance, x, y);
    }, { passive: false });
    frame.addEventListener("touchend", function (event) {
      if (event.touches.length < 2) pinch = null;
    });
  }

  // Scroll a frame sideways so that ``focus`` is in view, only if it is not, and never so
  // that a table starts left of the frame: centring the focus used to cut the tables of
  // the column before it in half ("oard_id", "ser_id" on homarr's `user` page). The view
  // starts at the left edge of the leftmost table that would be cut (or at 0).
  function startAt(frame, focus) {
    var outer = frame.getBoundingClientRect();
    var box = focus.getBoundingClientRect();
    if (box.left >= outer.left && box.right <= outer.right) return;
    var origin = outer.left - frame.scrollLeft; // where scrollLeft 0 puts the SVG's left
    var spans = [];
    var nodes = frame.querySelectorAll("g.node");
    for (var i = 0; i < nodes.length; i++) {
      var rect = nodes[i].getBoundingClientRect();
      spans.push([rect.left - origin, rect.right - origin]);
    }
    var wanted = box.left - origin - 16;
    for (var moved = true; moved; ) {
      moved = false;
      for (var j = 0; j < spans.length; j++) {
        if (spans[j][0] < wanted && spans[j][1] > wanted) {
          wanted = spans[j][0]; // it would be cut: start at its left edge
          moved = true;
        }
      }
    }
    frame.scrollLeft = Math.max(0, wanted);
  }

  // The timeline's filter: rows whose text contains what was typed (any case) stay. Any run
  // of white space matches any other, so "index idx_a" finds "index\u00a0idx_a" (a row keeps
  // each mark and word with its name by a no-break space).
  function flat(text) {
    return text.replace(/\s+/g, " ").trim().toLowerCase();
  }

  function setUpFilter(input) {
    if (input.getAttribute("data-erdgen-ready")) return;
    input.setAttribute("data-erdgen-ready", "1");
    var box = document.querySelector("." + input.getAttribute("data-erdgen-filter"));
    if (!box) return;
    input.addEventListener("input", function () {
      var wanted = flat(input.value);
      var rows = box.querySelectorAll("tbody tr");
      for (var i = 0; i < rows.length; i++) {
        var text = flat(rows[i].textContent);
        rows[i].hidden = wanted !== "" && text.indexOf(wanted) < 0;
      }
    });
  }

  function setUpAll() {
    var frames = document.querySelectorAll(".erdgen-diagram");
    for (var i = 0; i < frames.length; i++) setUp(frames[i]);
    var filters = document.querySelectorAll("input.erdgen-filter");
    for (var j = 0; j < filters.length; j++) setUpFilter(filters[j]);
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setUpAll); // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
