/* The kit's site script: self-check questions checked in the page (no kernel, no network),
   plotly figures redrawn when a folded section opens, folds opened for printing.
   The checks follow fournos.quiz.check in the kit's library; a browser test compares the two. */
(function () {
  "use strict";

  function simplify(text) {
    return text.toLowerCase().replace(/[^\p{L}\p{N}\p{M}_]+/gu, " ").trim();
  }

  function words(text) {
    return text ? text.split(" ") : [];
  }

  function accepts(q, answer, rules) {
    var given = simplify(answer);
    var accepted = q.answer.map(simplify);
    if (accepted.indexOf(given) >= 0) return true;
    if (q.kind !== "short") return false;
    var mine = new Set(words(given));
    var known = new Set();
    accepted.forEach(function (a) { words(a).forEach(function (w) { known.add(w); }); });
    var hedged = rules.negations.some(function (w) { return mine.has(w); });
    var extra = Array.from(mine).filter(function (w) { return !known.has(w); });
    var onlyFiller = extra.every(function (w) { return rules.filler.indexOf(w) >= 0; });
    var hasOne = accepted.some(function (a) {
      return a && words(a).every(function (w) { return mine.has(w); });
    });
    return !hedged && onlyFiller && hasOne;
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
    if (accepts(q, answer, rules)) {
      return { correct: true, text: "Correct. " + q.explanation, reread: "" };
    }
    var tip = "";
    if (q.kind === "short" && words(simplify(answer)).length > 3) {
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
    root.querySelectorAll(".js-plotly-plot").forEach(function (plot) { window.Plotly.Plots.resize(plot); });
  }

  window.fournosQuiz = {
    check: check,
    message: message,
  };

  function start() {
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
