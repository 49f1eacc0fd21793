/* Flask-Admin's templates carry a few inline handlers (onclick="return faHelpers.safeConfirm('…')",
   onclick="return modelActions.execute('…')", onclick="faForm.addInlineField(this, '…')",
   onclick="return false;") and href="javascript:void(0)". Our Content-Security-Policy runs no inline
   script, so this file turns exactly those known shapes into listeners before anything is clicked, and
   drops the attributes; an unknown handler is only removed (it would not run under the policy anyway).
   The arguments are read as string literals, never evaluated. */
(function () {
  "use strict";
  var LITERAL = "'((?:[^'\\\\]|\\\\.)*)'";
  var SHAPES = [
    [new RegExp("^\\s*return\\s+faHelpers\\.safeConfirm\\(" + LITERAL + "\\);?\\s*$"), function (el, arg) {
      return function (e) { if (!window.confirm(arg)) { e.preventDefault(); e.stopImmediatePropagation(); } };
    }],
    [new RegExp("^\\s*return\\s+confirm\\(" + LITERAL + "\\);?\\s*$"), function (el, arg) {
      return function (e) { if (!window.confirm(arg)) { e.preventDefault(); e.stopImmediatePropagation(); } };
    }],
    [new RegExp("^\\s*return\\s+modelActions\\.execute\\(" + LITERAL + "\\);?\\s*$"), function (el, arg) {
      return function (e) { e.preventDefault(); window.modelActions.execute(arg); };
    }],
    [new RegExp("^\\s*faForm\\.addInlineField\\(this,\\s*" + LITERAL + "\\);?\\s*$"), function (el, arg) {
      return function (e) { e.preventDefault(); window.faForm.addInlineField(el, arg); };
    }],
    [/^\s*return\s+false;?\s*$/, function () {
      return function (e) { e.preventDefault(); };
    }],
  ];

  function unquote(text) { return text.replace(/\\(.)/g, "$1"); }

  function convert(el) {
    var code = el.getAttribute("onclick");
    if (code !== null) {
      el.removeAttribute("onclick");
      for (var i = 0; i < SHAPES.length; i++) {
        var match = SHAPES[i][0].exec(code);
        if (match) { el.addEventListener("click", SHAPES[i][1](el, match[1] === undefined ? "" : unquote(match[1]))); break; }
      }
    }
    var href = el.getAttribute("href");
    if (href !== null && /^\s*javascript:/i.test(href)) {
      el.setAttribute("href", "#");
      el.addEventListener("click", function (e) { e.preventDefault(); });
    }
  }

  function sweep(root) {
    if (root.nodeType !== 1) return;
    if (root.matches("[onclick], a[href^='javascript:' i]")) convert(root);
    root.querySelectorAll("[onclick], a[href^='javascript:' i]").forEach(convert);
  }

  sweep(document.documentElement);
  // Inline-list rows and modals are added later from templates that carry the same handlers.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) { change.addedNodes.forEach(sweep); });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
