/* The kit's site script: self-check questions checked in the page (no kernel, no network),
   plotly figures redrawn when a folded section opens, folds opened for printing.
   The checks follow fournos.quiz.check in the kit's library; a browser test compares the two. */
(function () {
  "use strict";

  /* fournos.quiz._simplify: a country's name in Vietnamese ("Lào", "Lao") read as its
     English one (rules.names) */
  function simplify(text, rules) {
    var simple = text.toLowerCase().replace(/[^\p{L}\p{N}\p{M}_]+/gu, " ").trim();
    return Object.prototype.hasOwnProperty.call(rules.names, simple) ? rules.names[simple] : simple;
  }

  function words(text) {
    return text ? text.split(" ") : [];
  }

  /* fournos.quiz._distance: letters added, dropped or changed, or two side by side swapped */
  function distance(a, b) {
    var rows = [[]];
    for (var j = 0; j <= b.length; j++) rows[0].push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i], above = rows[i - 1];
      for (var k = 1; k <= b.length; k++) {
        var best = Math.min(above[k] + 1, row[k - 1] + 1, above[k - 1] + (a[i - 1] === b[k - 1] ? 0 : 1));
        if (i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) {
          best = Math.min(best, rows[i - 2][k - 2] + 1);
        }
        row.push(best);
      }
      rows.push(row);
    }
    return rows[a.length][b.length];
  }

  var LETTERS = /^\p{L}+$/u;

  function sameLetters(a, b) {
    return Array.from(a).sort().join("") === Array.from(b).sort().join("");
  }

  /* fournos.quiz._spelled: a misspelt word of 5+ letters read as the known word it is one
     slip away from (two for long words), a 4-letter one only when two letters are swapped;
     numbers and shorter words are never guessed. */
  function spelled(word, known) {
    if (known.has(word) || !LETTERS.test(word) || word.length < 4) return word;
    var candidates = Array.from(known).sort();
    for (var i = 0; i < candidates.length; i++) {
      var c = candidates[i];
      if (word.length < 5 && !sameLetters(word, c)) continue;
      if (LETTERS.test(c) && Math.abs(c.length - word.length) <= 2 &&
          distance(word, c) <= (c.length < 8 ? 1 : 2)) {
        return c;
      }
    }
    return word;
  }

  /* fournos.quiz._verdict: "right", "spelling", "form" or "wrong". */
  function verdict(q, answer, rules) {
    var given = simplify(answer, rules);
    var accepted = q.answer.map(function (a) { return simplify(a, rules); });
    if (accepted.indexOf(given) >= 0) return "right";
    if (q.kind !== "short") return "wrong";
    var known = new Set();
    accepted.forEach(function (a) { words(a).forEach(function (w) { known.add(w); }); });
    var fixed = words(given).map(function (w) { return spelled(w, known); });
    var mine = new Set(fixed);
    var contains = accepted.some(function (a) {
      return a && words(a).every(function (w) { return mine.has(w); });
    });
    var hedged = rules.negations.some(function (w) { return mine.has(w); });
    if (!contains || hedged) return "wrong";
    var counting = Array.from(known).some(function (w) { return rules.quantifiers.indexOf(w) >= 0; });
    var allowed = rules.filler.concat(counting ? rules.counting : []);
    var extra = Array.from(mine).filter(function (w) { return !known.has(w); });
    if (extra.every(function (w) { return allowed.indexOf(w) >= 0; })) {
      return fixed.join(" ") === words(given).join(" ") ? "right" : "spelling";
    }
    var another = extra.some(function (w) {
      return rules.counting.indexOf(w) >= 0 || rules.values.indexOf(w) >= 0 || /\d/.test(w);
    });
    return another ? "wrong" : "form";
  }

  /* {correct, text, reread}: text is the feedback without the "Reread paragraph N." part. */
  function check(q, answer, rules) {
    var reread = q.paragraph ? " Reread paragraph " + q.paragraph + "." : "";
    if (answer === null || answer.length === 0) {
      return { correct: false, text: "No answer yet: choose or type one, then check again.", reread: "" };
    }
    if (q.kind === "order") {
      var sortedGiven = answer.slice().sort(), sortedRight = q.answer.slice().sort();
      if (JSON.stringify(sortedGiven) !== JSON.stringify(sortedRight)) {
        return { correct: false, text: "Use each item exactly once, then check again.", reread: "" };
      }
      if (JSON.stringify(answer) === JSON.stringify(q.answer)) {
        return { correct: true, text: "Correct: that is the order. " + q.explanation, reread: "" };
      }
      var placed = answer.filter(function (a, i) { return a === q.answer[i]; }).length;
      return {
        correct: false,
        text: placed + " of " + q.answer.length + (placed === 1 ? " is" : " are") +
          " in the right place. " + q.hint,
        reread: reread,
      };
    }
    var said = verdict(q, answer, rules);
    if (said === "right") {
      return { correct: true, text: "Correct. " + q.explanation, reread: "" };
    }
    if (said === "spelling") {
      return { correct: true, text: "Correct (mind the spelling). " + q.explanation, reread: "" };
    }
    if (said === "form") {
      return {
        correct: false,
        text: "The right answer is in there, but the other words around it change what it " +
          "says. Give only the answer itself: a name, number or date.",
        reread: "",
      };
    }
    var tip = "";
    if (q.kind === "short" && words(simplify(answer, rules)).length > 3) {
      tip = " (Give one short answer, a name, number or date, without other words.)";
    }
    return { correct: false, text: "Not quite. " + q.hint, reread: reread, tip: tip };
  }

  function message(result) {
    return result.text + result.reread + (result.tip || "");
  }

  function showFeedback(box, q, result) {
    box.textContent = "";
    var p = document.createElement("p");
    p.className = result.correct ? "fournos-right" : "fournos-wrong";
    var mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.className = "fournos-mark";
    mark.textContent = result.correct ? "✔ " : "✘ ";
    p.appendChild(mark);
    p.appendChild(document.createTextNode(result.text));
    if (result.reread) {
      p.appendChild(document.createTextNode(" Reread "));
      var link = document.createElement("a");
      link.href = q.href;
      link.textContent = "paragraph " + q.paragraph;
      p.appendChild(link);
      p.appendChild(document.createTextNode("."));
    }
    if (result.tip) p.appendChild(document.createTextNode(result.tip));
    box.appendChild(p);
  }

  function answerOf(form, q) {
    if (q.kind === "choice") {
      var chosen = form.querySelector("input[type=radio]:checked");
      return chosen ? chosen.value : null;
    }
    if (q.kind === "order") {
      return Array.from(form.querySelectorAll(".fournos-order li")).map(function (li) {
        return li.getAttribute("data-item");
      });
    }
    return form.querySelector("input[type=text]").value;
  }

  function move(form, button, step) {
    var item = button.closest("li");
    var list = item.parentNode;
    var items = Array.from(list.children);
    var at = items.indexOf(item);
    var to = at + step;
    if (to < 0 || to >= items.length) return;
    if (step < 0) list.insertBefore(item, items[to]);
    else list.insertBefore(item, items[to].nextSibling);
    button.focus();
    form.querySelector(".fournos-feedback").textContent =
      "“" + item.getAttribute("data-item") + "” is now number " + (to + 1) + " of " + items.length + ".";
  }

  function setUp(quiz) {
    var rules = JSON.parse(quiz.querySelector(".fournos-quiz-rules").textContent);
    quiz.querySelectorAll("form.fournos-question").forEach(function (form) {
      var q = JSON.parse(form.querySelector(".fournos-question-data").textContent);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        showFeedback(form.querySelector(".fournos-feedback"), q, check(q, answerOf(form, q), rules));
      });
      form.querySelectorAll(".fournos-up, .fournos-down").forEach(function (button) {
        button.addEventListener("click", function () {
          move(form, button, button.classList.contains("fournos-up") ? -1 : 1);
        });
      });
    });
    quiz.setAttribute("data-ready", "true");
  }

  function resizeFigures(root) {
    if (!window.Plotly) return;
    root.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      var resized = window.Plotly.Plots.resize(plot);
      if (resized && resized.then) {
        resized.then(function () { if (!fitPhoneChart(plot)) fitChartText(plot); });
      }
      window.setTimeout(function () { fitChartText(plot); }, 400);  // if already its size
    });
  }

  /* A chart keeps the layout it had in the notebook, where it was wider than the site's
     column (and far wider than a phone): a long title ran past its edge, and a timeline's
     numbered key, set in lines for the notebook's width, ran off the right and, once the
     legend wrapped onto more rows, over the legend. Here each title line is wrapped to the
     chart's width, and the timeline's key and marker note are re-wrapped to the chart's whole
     width, the key set under the legend, the chart made taller to hold them. */
  var KEY_START = /^<b>1<\/b> /;
  var MARKS_NOTE = /^● known to the day/;

  function plainLength(text) { return text.replace(/<[^>]+>/g, "").length; }

  function charWidth(element, text) {
    var box = element.getBoundingClientRect();
    var widest = Math.max.apply(null, text.split("<br>").map(plainLength));
    return widest ? box.width / widest : 7;
  }

  function pack(items, joiner, room) {
    var lines = [], line = "";
    items.forEach(function (item) {
      var next = line ? line + joiner + item : item;
      if (line && plainLength(next) > room) { lines.push(line); line = item; } else { line = next; }
    });
    if (line) lines.push(line);
    return lines;
  }

  function fitChartText(plot) {
    var layout = plot._fullLayout;
    if (!layout || !layout._size || plot.getAttribute("data-fitted") === String(layout.width)) return;
    var drawnTitle = plot.querySelector(".g-gtitle text");
    if (!drawnTitle || !drawnTitle.getBoundingClientRect().width) return;  // not drawn yet
    if (plot.closest("details:not([open])")) return;  // fitted when its fold opens
    plot.setAttribute("data-fitted", String(layout.width));
    fitLines(plot);
  }

  function fitLines(plot) {
    var layout = plot._fullLayout;
    var size = layout._size, width = layout.width, update = {}, grow = 0, growTop = 0;
    var svgTop = plot.querySelector("svg.main-svg").getBoundingClientRect().top;
    var titleText = plot.querySelector(".g-gtitle text");
    var title = (plot.layout.title && plot.layout.title.text) || "";
    var svgLeft = plot.querySelector("svg.main-svg").getBoundingClientRect().left;
    var titleLeft = titleText ? titleText.getBoundingClientRect().left - svgLeft : 0;
    if (titleText && title && titleText.getBoundingClientRect().right - svgLeft > width - 12) {
      var room = Math.floor((0.92 * (width - titleLeft - 16)) / charWidth(titleText, title));
      var lines = [];
      title.split("<br>").forEach(function (line) { lines = lines.concat(pack(line.split(" "), " ", room)); });
      var height = titleText.getBoundingClientRect().height / title.split("<br>").length;
      growTop += Math.ceil(height * (lines.length - title.split("<br>").length));
      update["title.text"] = lines.join("<br>");
      update["title.yref"] = "container";
      update["title.y"] = 1;
      update["title.yanchor"] = "top";
      update["title.pad.t"] = 8;
    }
    var growBottom = 0;
    var xTitle = plot.querySelector(".g-xtitle text");
    var xAxis = plot.layout.xaxis || {};
    var xText = xAxis.title && (typeof xAxis.title === "string" ? xAxis.title : xAxis.title.text);
    if (xTitle && xText) {
      var xBox = xTitle.getBoundingClientRect();
      var centre = size.l + size.w / 2;
      var xRoom = 2 * Math.min(centre, width - centre) - 16;
      if (xBox.width > xRoom) {
        var perLine = Math.floor((0.92 * xRoom) / charWidth(xTitle, xText));
        var xLines = [];
        xText.split("<br>").forEach(function (line) { xLines = xLines.concat(pack(line.split(" "), " ", perLine)); });
        var xLine = xBox.height / xText.split("<br>").length;
        growBottom += Math.ceil(xLine * (xLines.length - xText.split("<br>").length));
        update["xaxis.title.text"] = xLines.join("<br>");
      }
    }
    var annotations = (plot.layout.annotations || []).map(function (a) { return Object.assign({}, a); });
    var legend = plot.querySelector(".legend");
    annotations.forEach(function (a, index) {
      var isKey = KEY_START.test(a.text || ""), isNote = MARKS_NOTE.test(a.text || "");
      var drawn = plot.querySelector('.annotation[data-index="' + index + '"] text');
      if (!(isKey || isNote) || !drawn) return;
      var element = drawn;
      var room = Math.floor((0.88 * (width - 12)) / charWidth(element, a.text));  // room for wide letters
      var separator = isKey ? " · " : /   /;
      var text = isKey ? a.text.replace(/<br>(?!<b>)/g, " ") : a.text;  // a long item's next line
      var items = text.split("<br>").join(isKey ? " · " : "   ").split(separator);
      var lines = [];  // items set side by side, and an item longer than a line (a phone) wrapped
      pack(items, isKey ? " · " : "   ", room).forEach(function (line) {
        lines = lines.concat(pack(line.split(" "), " ", room));
      });
      var lineHeight = element.getBoundingClientRect().height / a.text.split("<br>").length;
      a.text = lines.join("<br>");
      a.x = (6 - size.l) / size.w;  // from the chart's left edge, not the plot area's
      if (isNote) {
        growTop += Math.ceil(lineHeight * (lines.length - plainLines(element)));
      } else {
        var legendBottom = legend ? legend.getBoundingClientRect().bottom - svgTop : size.t + size.h + 40;
        var top = legendBottom + 10;
        a.y = 1 - (top - size.t) / size.h;
        grow = Math.ceil(top + lineHeight * lines.length + 12 - layout.height);
      }
      update.annotations = annotations;
    });
    function plainLines(element) { return Math.max(1, element.querySelectorAll("tspan.line").length); }
    if (!Object.keys(update).length) return settle(plot);
    if (growTop > 0) update["margin.t"] = layout.margin.t + growTop;
    if (growTop > 0 && !update["title.text"]) {  // the title stays at the top, clear of the note
      update["title.yref"] = "container";
      update["title.y"] = 1;
      update["title.yanchor"] = "top";
      update["title.pad.t"] = 8;
    }
    grow += growBottom;
    if (grow !== 0 || growTop > 0) {
      update.height = layout.height + Math.max(0, growTop) + grow;
      update["margin.b"] = layout.margin.b + grow;
    }
    window.Plotly.relayout(plot, update).then(function () {
      holdHeight(plot);
      // plotly places a title of several lines by its first line: move it down into view
      var shown = plot.querySelector(".g-gtitle text");
      if (!shown || !update["title.text"]) return;
      var top = shown.getBoundingClientRect().top - plot.querySelector("svg.main-svg").getBoundingClientRect().top;
      if (top < 6) return window.Plotly.relayout(plot, { "title.pad.t": 8 + 6 - top });
    }).then(function () { return clearOfTitle(plot); }).then(function () { settle(plot); });
  }

  /* The timelines' note on markers sits above the plot: if the title reaches down over it,
     the plot (and the note with it) moves down. */
  function clearOfTitle(plot) {
    var title = plot.querySelector(".g-gtitle text");
    var note = Array.from(plot.querySelectorAll(".annotation")).filter(function (a) {
      return MARKS_NOTE.test(a.textContent);
    })[0];
    if (!title || !note) return null;
    var overlap = title.getBoundingClientRect().bottom + 6 - note.getBoundingClientRect().top;
    if (overlap <= 0) return null;
    var layout = plot._fullLayout;
    return window.Plotly.relayout(plot, {
      "margin.t": layout.margin.t + Math.ceil(overlap),
      height: layout.height + Math.ceil(overlap),
    }).then(function () { holdHeight(plot); });
  }

  /* A timeline's marker numbers stand above their markers; two markers close in time on a
     narrow chart (lesson 6's "12" and "15–16" on a phone) drew their numbers over each other.
     A number that would touch the one before it in its lane goes under its marker (and under
     an article's star, if one is drawn round it); if a number of the next lane is there, it
     joins the number before it instead ("12, 15–16"), as markers too close to tell apart
     share one number in the notebook. */
  function lineBox(text) {  // a number's visible line (a raised number has an empty one under it)
    var line = Array.from(text.querySelectorAll("tspan.line")).filter(function (l) {
      return l.textContent.trim();
    })[0] || text;
    return line.getBoundingClientRect();
  }

  function touches(a, b) {
    return Math.min(a.right, b.right) - Math.max(a.left, b.left) > -3
      && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > -2;
  }

  function staggerNumbers(plot) {
    var updates = [];
    var all = Array.from(plot.querySelectorAll(".scatterlayer .textpoint text")).map(lineBox);
    plot.querySelectorAll(".scatterlayer .trace").forEach(function (group) {
      var trace = group.__data__ && group.__data__[0] && group.__data__[0].trace;
      var texts = trace && plot.data[trace.index] && plot.data[trace.index].text;
      if (!Array.isArray(texts)) return;
      var drawn = Array.from(group.querySelectorAll(".textpoint text")).map(function (t) {
        var label = t.textContent.trim();
        return { label: label, box: lineBox(t), raised: t.querySelectorAll("tspan.line").length > 1,
          index: texts.findIndex(function (x) { return String(x).replace(/<br>/g, "").trim() === label; }) };
      }).filter(function (d) { return d.label && d.index >= 0; })
        .sort(function (a, b) { return a.box.left - b.box.left; });
      var positions = texts.map(function () { return "top center"; });
      var shown = texts.slice(), moved = false, above = null, below = null;
      drawn.forEach(function (d) {
        var index = d.index;
        if (!above || !touches(above.box, d.box)) { above = d; return; }
        var line = 1.3 * (d.box.bottom - d.box.top);  // plotly's line spacing
        var shift = d.raised ? 3 * line + 12 : line + 16;  // from over the marker to under it
        var under = { left: d.box.left, right: d.box.right, top: d.box.top + shift, bottom: d.box.bottom + shift };
        var free = (!below || !touches(below, under)) && !all.some(function (other) { return touches(other, under); });
        moved = true;
        if (free) {
          below = under;
          positions[index] = "bottom center";
          shown[index] = d.raised ? " <br>" + d.label : d.label;
          return;
        }
        var first = above.index;  // joins the number before it, on that one's marker
        above.label = above.label + ", " + d.label;
        above.box = { left: above.box.left, right: above.box.right + (d.box.right - d.box.left) + 8,
          top: above.box.top, bottom: above.box.bottom };
        shown[first] = above.raised ? above.label + "<br> " : above.label;
        shown[index] = "";
      });
      if (moved) updates.push({ index: trace.index, positions: positions, texts: shown });
    });
    return updates.reduce(function (done, u) {
      return done.then(function () {
        return window.Plotly.restyle(plot, { textposition: [u.positions], text: [u.texts] }, [u.index]);
      });
    }, Promise.resolve());
  }

  function settle(plot) {
    return staggerNumbers(plot).then(function () {
      plot.setAttribute("data-settled", String(plot._fullLayout.width));
    });
  }

  /* A data table wider than the page scrolls sideways in its own box; on a phone that looked
     like words cut at the screen's edge. Such a table's box says that it scrolls. */
  function markWideTables() {
    document.querySelectorAll(".cell_output table.dataframe td, .cell_output table.dataframe th, " +
      ".cell_output table.fournos-table td").forEach(function (cell) {
      var length = cell.textContent.trim().length;
      if (length <= 16) cell.classList.add("fournos-short");
      else if (length >= 60) cell.classList.add("fournos-long");
    });
    // a table of prose (a summary, a definition, a note in each row) reads on a phone as one
    // block per row, each value after its column's name (fournos-site.css, narrow screens)
    document.querySelectorAll(".cell_output table.dataframe, .cell_output table.fournos-table")
      .forEach(function (table) {
        if (!table.querySelector("td.fournos-long")) return;
        var rows = table.querySelectorAll("thead tr");
        if (rows.length !== 1) return;
        var heads = Array.from(rows[0].children).map(function (h) { return h.textContent.trim(); });
        table.querySelectorAll("tbody tr").forEach(function (row) {
          Array.from(row.children).forEach(function (cell, i) {
            if (heads[i]) cell.setAttribute("data-label", heads[i]);
          });
        });
        table.classList.add("fournos-stack");
      });
    document.querySelectorAll("table.dataframe, table.fournos-table").forEach(function (table) {
      var box = table.parentElement;
      if (box && table.scrollWidth > box.clientWidth + 2) box.classList.add("fournos-wide-table");
    });
  }

  /* On a phone (under 600 px) every chart is drawn to the screen's width: a chart kept at
     its notebook width ran off the screen (lesson 10's spectrum showed 7 of its 11 states,
     lesson 9's matrix half its columns). For the narrow room its text is set smaller, long
     row labels are wrapped onto lines, column labels stand upright, a legend goes under the
     chart with long entries wrapped, and a heatmap's cell words too long for their cells
     are shortened (the legend gives each short form). The notebook and the handouts keep
     the chart as it was. */
  var PHONE = 600;

  function wrapText(text, room) {
    return pack(text.replace(/<br>/g, " ").split(" "), " ", room).join("<br>");
  }

  function tickUpdate(plot, name, room) {
    var axis = plot._fullLayout[name];
    if (!axis || !axis._vals || axis.type === "date") return {};
    var ticks = axis._vals.filter(function (t) { return t.text !== undefined; });
    var texts = ticks.map(function (t) { return String(t.text); });
    if (!texts.some(function (t) { return plainLength(t) > room; })) return {};
    var values = ticks.map(function (t) {
      return axis.type === "category" ? axis._categories[t.x] : t.x;
    });
    var update = {};
    update[name + ".tickmode"] = "array";
    update[name + ".tickvals"] = values;
    update[name + ".ticktext"] = texts.map(function (t) { return wrapText(t, room); });
    return update;
  }

  function shortWord(word) {
    if (word.length <= 4) return word;
    return word === "unknown" ? "?" : word.slice(0, 4) + ".";
  }

  /* On a phone a chart's hover label (a clause, in lines set for a desk's width) ran past
     both edges of the screen: there a tap shows the same text in a box under the chart. */
  function tapToRead(plot, figure) {
    var traces = [];
    plot.data.forEach(function (t, i) {
      if ((t.hovertemplate || "").indexOf("%{customdata}") === 0) traces.push(i);
    });
    if (!traces.length) return;
    window.Plotly.restyle(plot, { hoverinfo: "none", hovertemplate: null }, traces);
    var box = document.createElement("p");
    box.className = "fournos-tapped";
    box.setAttribute("aria-live", "polite");
    box.textContent = "Tap a mark of the chart to read here what it stands for.";
    figure.appendChild(box);
    plot.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (!point || point.customdata == null) return;
      box.innerHTML = oneParagraph(String(point.customdata));
      box.scrollIntoView({ block: "nearest" });
    });
  }

  /* A hover label's lines as a paragraph: its wrapped lines joined again, a line break kept
     only around a bold or italic line (a name, a coding, a source) */
  function oneParagraph(label) {
    var lines = label.split("<br>");
    return lines.reduce(function (text, line, i) {
      var apart = /<\/(b|i)>$/.test(lines[i - 1]) || /^<(b|i)>/.test(line);
      return text + (apart ? "<br>" : " ") + line;
    });
  }

  function fitPhoneChart(plot) {
    var figure = plot.closest(".fournos-figure");
    var room = figure ? figure.clientWidth : 0;
    if (!figure || room >= PHONE || plot.getAttribute("data-phone")) return false;
    plot.setAttribute("data-phone", "true");
    tapToRead(plot, figure);
    var layout = plot._fullLayout;
    var update = { "font.size": 11 };
    var chars = Math.max(12, Math.floor(room / 22));  // a row label: a third of the width
    Object.assign(update, tickUpdate(plot, "yaxis", chars));
    var x = layout.xaxis;
    if (x && x.type !== "date" && (plot.layout.xaxis || {}).tickangle) {
      update["xaxis.tickangle"] = -90;  // upright: each column label takes a line's height
      Object.assign(update, tickUpdate(plot, "xaxis", 2 * chars));
    }
    var shortened = {};
    var heatmap = plot.data.filter(function (t) { return t.type === "heatmap" && t.text; })[0];
    if (heatmap) {
      var cells = heatmap.text.map(function (row) {
        return row.map(function (word) {
          var short = shortWord(String(word));
          if (short !== word) shortened[word] = short;
          return short;
        });
      });
      if (Object.keys(shortened).length) {
        window.Plotly.restyle(plot, { text: [cells] }, [plot.data.indexOf(heatmap)]);
      }
    }
    var legendRoom = Math.floor((room - 70) / 6.5);
    var names = plot.data.map(function (t) {
      if (!t.name) return t.name;
      var name = shortened[t.name] ? t.name + " (" + shortened[t.name] + ")" : t.name;
      return plainLength(name) > legendRoom ? wrapText(name, legendRoom) : name;
    });
    if (names.some(function (n, i) { return n !== plot.data[i].name; })) {
      window.Plotly.restyle(plot, { name: names });
    }
    var keyed = (plot.layout.annotations || []).some(function (a) { return KEY_START.test(a.text || ""); });
    if (layout.showlegend && layout.legend && !keyed) {  // a timeline's key is set under its legend
      update["legend.orientation"] = "h";
      update["legend.xref"] = "container";
      update["legend.x"] = 0.01;
      update["legend.yref"] = "container";
      update["legend.y"] = 0.005;
      update["legend.yanchor"] = "bottom";
      if (plot.layout.legend && plot.layout.legend.title) update["legend.title.side"] = "top";
    }
    window.Plotly.relayout(plot, update).then(function () {
      var drawn = plot.querySelector(".legend");
      var rows = plot._fullLayout.yaxis && plot._fullLayout.yaxis._vals ? plot._fullLayout.yaxis._vals.length : 0;
      var lines = update["yaxis.ticktext"] ? update["yaxis.ticktext"].join("<br>").split("<br>").length : rows;
      // a wrapped row label needs its lines' height; the legend its own room under the chart
      var grow = Math.max(0, lines * 14 + 8 * rows - plot._fullLayout._size.h);
      var legendGrow = drawn && update["legend.orientation"] ? Math.ceil(drawn.getBoundingClientRect().height) + 10 : 0;
      if (!grow && !legendGrow) return fitChartText(plot);
      return window.Plotly.relayout(plot, {
        "margin.b": plot._fullLayout.margin.b + legendGrow,
        height: plot._fullLayout.height + grow + legendGrow,
      }).then(function () { holdHeight(plot); fitChartText(plot); });
    });
    return true;
  }

  /* plotly's HTML gives each chart's box a fixed height: a chart made taller here would be
     cut at its old bottom edge */
  function holdHeight(plot) {
    var height = plot._fullLayout && plot._fullLayout.height;
    if (!height) return;
    [plot, plot.parentElement].forEach(function (box) {
      if (box && box.style.height && box.style.height !== "100%") box.style.height = height + "px";
    });
  }

  function fitCharts() {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      if (!plot.offsetParent || plot.closest("details:not([open])")) return;
      if (!fitPhoneChart(plot)) fitChartText(plot);
    });
  }

  window.fournosQuiz = {
    check: check,
    message: message,
  };

  /* The book theme's visible ☰ and contents buttons carry the same classes as the theme's
     hidden navbar icons, and both themes' scripts wire only the first element of each class
     (the hidden one): without this, the visible buttons do nothing, on a phone or a desk.
     A click on a visible button is passed to the wired one, which opens the menu (narrow
     screens) or folds the sidebar (wide ones). */
  function wireSidebarButtons() {
    ["primary", "secondary"].forEach(function (side) {
      var buttons = Array.from(document.querySelectorAll("." + side + "-toggle"));
      var wired = buttons[0];
      buttons.slice(1).forEach(function (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          event.stopPropagation();
          wired.click();
        });
      });
    });
  }

  function start() {
    wireSidebarButtons();
    markWideTables();
    if (document.readyState === "complete") fitCharts();
    else window.addEventListener("load", fitCharts);
    document.querySelectorAll(".fournos-quiz").forEach(setUp);
    document.addEventListener("toggle", function (event) {
      if (event.target.open) resizeFigures(event.target);
    }, true);
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
